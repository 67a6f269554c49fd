import { DEFAULT_NLP } from './deid-scanner';
import { EMPTY_PUBLIC, fold, publicValuesOf, ScanContext, splitSentences } from './text-context';

describe('text context', () => {
  it('splits sentences at full stops and newlines, not after titles, initials or month abbreviations', () => {
    const text = 'Mr. Reyes met Dr. Ana Ruiz on Jan. 3. The child, J.M., was 2.\nNext line';
    expect(splitSentences(text).map(([s, e]) => text.slice(s, e))).toEqual(['Mr. Reyes met Dr. Ana Ruiz on Jan. 3.', ' The child, J.M., was 2.', 'Next line']);
  });

  it('tokenises words with accents, apostrophes and hyphens, and marks possessives', () => {
    const ctx = new ScanContext('body', "José's aunt, Okafor-Price, met De'Asia.", EMPTY_PUBLIC, DEFAULT_NLP);
    expect(ctx.toks.map((t) => [t.w, t.poss])).toEqual([
      ['José', true],
      ['aunt', false],
      ['Okafor-Price', false],
      ['met', false],
      ["De'Asia", false],
    ]);
    expect(fold('Hernández')).toBe('hernandez');
  });

  it('treats headline lines as weak evidence, but not table rows or label lines', () => {
    const ctx = new ScanContext('body', 'Infant Deaths Linked To Adult Beds\n| Mother | Ana Ruiz |\n- Father: Luis Enrique Maldonado', EMPTY_PUBLIC, DEFAULT_NLP);
    const titleLine = (w: string): boolean => ctx.toks.find((t) => t.w === w)!.titleLine;
    expect(titleLine('Infant')).toBe(true);
    expect(titleLine('Ana')).toBe(false);
    expect(titleLine('Luis')).toBe(false);
  });

  it("sorts the agency's published contacts into mailboxes, phone numbers and name words", () => {
    const pub = publicValuesOf(['Dana.Whitfield@agency.example.gov', '(614) 555-0177', '+1 614 555 0100', 'Karen Mills', '']);
    expect([...pub.emails]).toEqual(['dana.whitfield@agency.example.gov']);
    expect([...pub.phones]).toEqual(['6145550177', '6145550100']);
    expect([...pub.nameWords].sort()).toEqual(['dana', 'karen', 'mills', 'whitfield']);
  });
});

describe('spans a rule cleared', () => {
  it('reports overlap with any cleared span, in any order of clearing', () => {
    const ctx = new ScanContext('body', 'Call the hotline at 405-555-0100 or write to Dana Whitfield, Director.', EMPTY_PUBLIC, DEFAULT_NLP);
    ctx.clear(44, 58);
    ctx.clear(20, 32);
    expect(ctx.cleared(20, 32)).toBe(true);
    expect(ctx.cleared(50, 52)).toBe(true);
    expect(ctx.cleared(0, 19)).toBe(false);
    expect(ctx.cleared(33, 44)).toBe(false);
  });
});
