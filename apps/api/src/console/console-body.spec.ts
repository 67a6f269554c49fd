import { parseMultipart, parseUpload } from './console-body.module';

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

describe('parseUpload (the attachment form)', () => {
  const file = (name: string, filename: string, bytes: Buffer) =>
    Buffer.concat([Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`), bytes, Buffer.from(`\r\n--${B}--\r\n`)]);

  it('reads the one file, bytes as sent (not text), and the other fields', () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0x00, 0x0d, 0x0a, 0x80]);
    const withToken = Buffer.concat([Buffer.from(`--${B}\r\n${field('_csrf', 'tok')}\r\n`), file('file', 'guidance.pdf', bytes)]);
    const parsed = parseUpload(withToken, B);
    expect(parsed._csrf).toBe('tok');
    expect(parsed.file?.filename).toBe('guidance.pdf');
    expect(parsed.file?.data.equals(bytes)).toBe(true);
  });

  it('takes no file from an empty file input, and refuses a file under another name or two files', () => {
    expect(parseUpload(file('file', '', Buffer.alloc(0)), B).file).toBeUndefined();
    expect(() => parseUpload(file('other', 'x.pdf', Buffer.from('x')), B)).toThrow(/one file/);
    const two = Buffer.concat([file('file', 'a.pdf', Buffer.from('a')).subarray(0, -(B.length + 6)), file('file', 'b.pdf', Buffer.from('b'))]);
    expect(() => parseUpload(two, B)).toThrow(/one file/);
  });
});
