import { contentHash, NoticeContent } from '../notices/notice-rules';
import { AttachmentLinkError, signAttachmentLink, verifyAttachmentLink } from './attachment-link';
import { attachmentHeaders, cleanFileName, DEFAULT_ATTACHMENT_TYPES, contentDisposition, formatFileSize, servedFileName, sniffMediaType } from './attachment-files';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const ID = '0b7f2f2e-2a51-4c3a-9a3e-9c1f7d4e2a10';

describe('signed attachment links', () => {
  it('opens until the expiry, and names the attachment', () => {
    const link = signAttachmentLink(ID, 2000, SECRET);
    expect(verifyAttachmentLink(link, SECRET, 1999)).toBe(ID);
    expect(() => verifyAttachmentLink(link, SECRET, 2000)).toThrow(expect.objectContaining({ reason: 'expired' }));
  });

  it('refuses a changed id, expiry or MAC, another secret, and anything malformed', () => {
    const link = signAttachmentLink(ID, 2000, SECRET);
    const [, exp, mac] = link.split('.');
    const reason = (t: string, secret = SECRET) => {
      try {
        verifyAttachmentLink(t, secret, 1000);
        return 'accepted';
      } catch (e) {
        return (e as AttachmentLinkError).reason;
      }
    };
    expect(reason(`${ID.replace('0b7f', '0b7e')}.${exp}.${mac}`)).toBe('forged');
    expect(reason(`${ID}.3000.${mac}`)).toBe('forged');
    expect(reason(`${ID}.${exp}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`)).toBe('forged');
    expect(reason(link, `${SECRET}x`)).toBe('forged');
    for (const bad of ['', 'x', `${ID}.${exp}`, `${ID}.${exp}.${mac}=`, `${ID}.-1.${mac}`, `${link}.extra`]) expect(reason(bad)).toBe('malformed');
  });
});

describe('what an attachment is', () => {
  it('is sniffed from the magic bytes', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toBe('image/png');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]))).toBe('image/jpeg');
    // An SVG can carry script: it is recognised, and not among the types accepted by default.
    expect(sniffMediaType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBe('image/svg+xml');
    expect(DEFAULT_ATTACHMENT_TYPES).not.toContain('image/svg+xml');
    expect(sniffMediaType(Buffer.from('plain text'))).toBeNull();
  });

  it('keeps a file name safe to store and to put in a header', () => {
    expect(cleanFileName('C:\\Users\\me\\guidance.pdf')).toBe('guidance.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('photo\u202egnp.exe')).toBe('photo_gnp.exe');
    expect(cleanFileName('a"b<c>\r\n.pdf')).toBe('a_b_c___.pdf');
    expect(cleanFileName('...')).toBe('');
    expect(contentDisposition('attachment', 'Leitfaden ü "x".pdf')).toBe(`attachment; filename="Leitfaden _ _x_.pdf"; filename*=UTF-8''Leitfaden%20%C3%BC%20%22x%22.pdf`);
  });

  it('serves images inline and everything else as a download, never sniffed by the browser', () => {
    const a = { name: 'g.pdf', mediaType: 'application/pdf', sizeBytes: 10, sha256: 'ab' };
    expect(attachmentHeaders(a)['Content-Disposition']).toMatch(/^attachment;/);
    expect(attachmentHeaders({ ...a, mediaType: 'image/png' })['Content-Disposition']).toMatch(/^inline;/);
    expect(attachmentHeaders(a)['X-Content-Type-Options']).toBe('nosniff');
    expect(attachmentHeaders(a)['Content-Security-Policy']).toContain('sandbox');
    // A 70-byte file is not "1 KB" (outside audit): bytes below a kilobyte.
    expect([1, 70, 1023, 1024, 1025].map(formatFileSize)).toEqual(['1 byte', '70 bytes', '1023 bytes', '1 KB', '2 KB']);
    expect(formatFileSize(2.5 * 1024 * 1024)).toBe('2.5 MB');
  });
});

describe('attachments in the content hash', () => {
  const content: NoticeContent = {
    title: 't', summary: 's', bodyMarkdown: 'b', category: 'alert', severity: 'high', topics: ['x'], targetJurisdictions: [], requiredActions: [],
    acknowledgeBy: null, actionsDueBy: null, effectiveAt: null, expiresAt: null, referenceIds: [], incidentReference: null,
  };
  const pdf = { name: 'g.pdf', mediaType: 'application/pdf', sha256: 'a'.repeat(64) };

  it('leaves a notice without attachments hashed as before, and changes with any attachment change', () => {
    expect(contentHash(content, [])).toBe(contentHash(content));
    const one = contentHash(content, [pdf]);
    expect(one).not.toBe(contentHash(content));
    expect(contentHash(content, [{ ...pdf, sha256: 'b'.repeat(64) }])).not.toBe(one);
    expect(contentHash(content, [{ ...pdf, name: 'h.pdf' }])).not.toBe(one);
    const two = [pdf, { ...pdf, name: 'h.pdf' }];
    expect(contentHash(content, two)).not.toBe(contentHash(content, [...two].reverse()));
  });

  describe('the served name says what the bytes are', () => {
    it.each([
      ['poly.html', 'image/gif', 'poly.html.gif'],
      ['page.HTM', 'image/png', 'page.HTM.png'],
      ['report.svg', 'application/pdf', 'report.svg.pdf'],
      ['no-extension', 'image/webp', 'no-extension.webp'],
      ['photo.JPEG', 'image/jpeg', 'photo.JPEG'],
      ['photo.jpg', 'image/jpeg', 'photo.jpg'],
      ['plan.pdf', 'application/pdf', 'plan.pdf'],
      ['Leitfaden ü.pdf', 'application/pdf', 'Leitfaden ü.pdf'],
    ])('%p served as %p is named %p', (name, mediaType, served) => {
      expect(servedFileName(name, mediaType)).toBe(served);
    });

    it('for a type an operator adds, from the signature of its bytes; .bin when none is known', () => {
      const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40)]);
      expect(servedFileName('evil.html', 'application/zip', zip)).toBe('evil.html.zip');
      expect(servedFileName('bundle.ZIP', 'application/zip', zip)).toBe('bundle.ZIP');
      expect(servedFileName('evil.html', 'application/x-unknown')).toBe('evil.html.bin');
    });

    it('in the Content-Disposition of every default type', () => {
      for (const mediaType of DEFAULT_ATTACHMENT_TYPES) {
        const disposition = attachmentHeaders({ name: 'poly.html', mediaType, sizeBytes: 1, sha256: 'x' })['Content-Disposition'];
        expect(disposition).not.toMatch(/filename="poly\.html"/);
        expect(disposition).toMatch(/filename="poly\.html\.[a-z]+"/);
      }
    });
  });
});
