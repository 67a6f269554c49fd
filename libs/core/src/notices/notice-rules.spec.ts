import { assertCanApprove, assertTransition, contentHash, formatReference, NoticeContent, NoticeRuleError } from './notice-rules';

const content: NoticeContent = {
  title: 'Unsafe infant sleeper',
  summary: 'Recall',
  bodyMarkdown: 'Body',
  category: 'alert',
  severity: 'critical',
  topics: ['safe-sleep'],
  targetJurisdictions: [],
  requiredActions: ['Tell families'],
  acknowledgeBy: new Date('2026-12-01T00:00:00Z'),
  actionsDueBy: null,
  effectiveAt: null,
  expiresAt: null,
  referenceIds: [],
  incidentReference: null,
};

describe('notice lifecycle', () => {
  it('allows only draft → in_review → published, and in_review → draft on rejection', () => {
    expect(() => assertTransition('submit', 'draft')).not.toThrow();
    expect(() => assertTransition('approve', 'in_review')).not.toThrow();
    expect(() => assertTransition('reject', 'in_review')).not.toThrow();
    expect(() => assertTransition('edit', 'draft')).not.toThrow();
    for (const status of ['in_review', 'published', 'cancelled'] as const) {
      expect(() => assertTransition('edit', status)).toThrow(NoticeRuleError);
    }
    expect(() => assertTransition('approve', 'draft')).toThrow(/cannot approve a notice that is draft/);
    expect(() => assertTransition('approve', 'published')).toThrow(NoticeRuleError);
    expect(() => assertTransition('submit', 'published')).toThrow(NoticeRuleError);
  });

  it('updates and cancels published notices only', () => {
    expect(() => assertTransition('update', 'published')).not.toThrow();
    expect(() => assertTransition('cancel', 'published')).not.toThrow();
    for (const status of ['draft', 'in_review', 'superseded', 'cancelled'] as const) {
      expect(() => assertTransition('update', status)).toThrow(NoticeRuleError);
      expect(() => assertTransition('cancel', status)).toThrow(NoticeRuleError);
    }
  });
});

describe('two-person rule', () => {
  const notice = { authorId: 'author', contentHash: contentHash(content) };

  it('refuses the author', () => {
    expect(() => assertCanApprove(notice, 'author', notice.contentHash)).toThrow(/two-person rule/);
  });

  it('refuses a stale content hash', () => {
    const edited = contentHash({ ...content, title: 'Edited after review' });
    expect(edited).not.toBe(notice.contentHash);
    expect(() => assertCanApprove(notice, 'approver', edited)).toThrow(/changed since it was reviewed/);
  });

  it('refuses anyone who saved a version of it, whatever their roles', () => {
    expect(() => assertCanApprove(notice, 'colleague', notice.contentHash, ['author', 'colleague'])).toThrow(/you edited this notice/);
    expect(() => assertCanApprove(notice, 'approver', notice.contentHash, ['author', 'colleague'])).not.toThrow();
  });

  it('accepts a second person who reviewed this exact content', () => {
    expect(() => assertCanApprove(notice, 'approver', contentHash({ ...content }))).not.toThrow();
  });
});

describe('content hash and reference', () => {
  it('changes with every field a recipient reads', () => {
    const base = contentHash(content);
    expect(contentHash({ ...content, requiredActions: [] })).not.toBe(base);
    expect(contentHash({ ...content, acknowledgeBy: null })).not.toBe(base);
    expect(contentHash({ ...content, actionsDueBy: new Date('2026-12-05T00:00:00Z') })).not.toBe(base);
    expect(contentHash({ ...content, topics: ['intake'] })).not.toBe(base);
  });

  it('formats NPCS-YYYY-NNNN', () => {
    expect(formatReference(2026, 42)).toBe('NPCS-2026-0042');
    expect(formatReference(2026, 12345)).toBe('NPCS-2026-12345');
  });
});
