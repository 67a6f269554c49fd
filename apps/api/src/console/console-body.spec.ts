import { parseMultipart } from './console-body.module';

const B = '----WebKitFormBoundaryAbC123';
const body = (...parts: string[]) => Buffer.from(`${parts.map((p) => `--${B}\r\n${p}\r\n`).join('')}--${B}--\r\n`, 'utf8');
const field = (name: string, value: string) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;

describe('parseMultipart (the draft editor form)', () => {
  it('reads text fields, keeps line breaks and non-ASCII text, and gathers repeated names', () => {
    const fields = parseMultipart(
      body(field('_csrf', 'tok'), field('body', '## What happened\r\n\r\nLine – “quoted”\r\n--not a boundary'), field('topics', 'a'), field('topics', 'b'), field('empty', '')),
      B,
    );
    expect(fields).toEqual({ _csrf: 'tok', body: '## What happened\r\n\r\nLine – “quoted”\r\n--not a boundary', topics: ['a', 'b'], empty: '' });
  });

  it('refuses files, prototype keys and malformed bodies', () => {
    expect(() => parseMultipart(body('Content-Disposition: form-data; name="f"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nhi'), B)).toThrow(/files/);
    expect(() => parseMultipart(body(field('__proto__', 'x')), B)).toThrow(/not allowed/);
    expect(() => parseMultipart(Buffer.from(`--${B}\r\n${field('a', 'b')}`), B)).toThrow(/closing boundary/);
    expect(() => parseMultipart(Buffer.from('garbage'), B)).toThrow(/boundary/);
    expect(() => parseMultipart(body('Content-Type: text/plain\r\n\r\nno name'), B)).toThrow(/no name/);
  });

  it('refuses a part that is not valid UTF-8 or holds a NUL, like every other body', () => {
    const raw = (bytes: number[]) => Buffer.concat([Buffer.from(`--${B}\r\n${field('title', 'a')}`), Buffer.from(bytes), Buffer.from(`\r\n--${B}--\r\n`)]);
    expect(parseMultipart(raw([0xc3, 0xa9]), B)).toEqual({ title: 'aé' });
    expect(() => parseMultipart(raw([0xff]), B)).toThrow(/UTF-8/);
    expect(() => parseMultipart(raw([0xc0, 0xaf]), B)).toThrow(/UTF-8/); // an overlong '/'
    expect(() => parseMultipart(raw([0xed, 0xa0, 0x80]), B)).toThrow(/UTF-8/); // an encoded surrogate
    expect(() => parseMultipart(raw([0x00]), B)).toThrow(/NUL/);
  });
});
