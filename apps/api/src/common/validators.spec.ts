import { validate } from 'class-validator';
import { isOneLine, OneLine } from './validators';

class Named {
  @OneLine() name: unknown;
}

describe('one-line text', () => {
  it('refuses every line break, and nothing else of the first 0x3000 code points', () => {
    const breaks = new Set([0x0a, 0x0d, 0x85, 0x2028, 0x2029]);
    const wrong: string[] = [];
    for (let c = 0; c < 0x3000; c++) {
      if (isOneLine(`a${String.fromCharCode(c)}b`) === breaks.has(c)) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('is a validator that names the field, and leaves non-strings to their own rules', async () => {
    const check = async (name: unknown) => (await validate(Object.assign(new Named(), { name }))).map((e) => Object.values(e.constraints ?? {}));
    expect(await check('Pat Lee')).toEqual([]);
    expect(await check('Pat\r\nLee')).toEqual([['name must be one line (no line breaks)']]);
    expect(await check(42)).toEqual([]);
  });
});
