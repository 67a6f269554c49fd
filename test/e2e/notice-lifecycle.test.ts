/**
 * The notice lifecycle through the API: draft → in_review → published, rejection back to draft
 * with reasons, edits voiding a review, gap-free reference numbers, listing and filtering.
 */
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, TestAgency } from '../support/fixtures';

describe('notice lifecycle', () => {
  let stack: Stack;
  let call: ReturnType<typeof apiClient>;
  let agency: TestAgency, other: TestAgency;
  const draftBody = (title: string, extra: object = {}) => ({
    title,
    summary: 'A summary',
    body: 'A body',
    category: 'advisory',
    severity: 'moderate',
    topics: ['intake.screening'],
    ...extra,
  });

  beforeAll(async () => {
    stack = await startStack();
    call = apiClient(stack.url);
    await createTopics(stack.db, ['intake.screening', 'safe-sleep']);
    agency = await createAgency(stack.db, { name: 'Issuer' });
    other = await createAgency(stack.db, { name: 'Other' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function publish(title: string, extra: object = {}) {
    const d = await call('POST', '/api/v1/notices', { key: agency.keys.author, body: draftBody(title, extra) });
    await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: agency.keys.author });
    return call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: agency.keys.approver, body: { contentHash: d.body.contentHash } });
  }

  it('rejects back to draft with reasons; an edit changes the hash and voids the earlier review', async () => {
    const d = await call('POST', '/api/v1/notices', { key: agency.keys.author, body: draftBody('Screening gap') });
    await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: agency.keys.author });
    // In review, the content is frozen.
    expect((await call('PATCH', `/api/v1/notices/${d.body.id}`, { key: agency.keys.author, body: { title: 'Changed title' } })).status).toBe(409);
    // The author cannot review their own notice either way.
    expect((await call('POST', `/api/v1/notices/${d.body.id}/reject`, { key: agency.keys.author, body: { reasons: ['x'] } })).status).toBe(403);

    const rejected = await call('POST', `/api/v1/notices/${d.body.id}/reject`, { key: agency.keys.approver, body: { reasons: ['Name the screening tool'] } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'draft', rejectionReasons: ['Name the screening tool'] });

    const edited = await call('PATCH', `/api/v1/notices/${d.body.id}`, { key: agency.keys.author, body: { body: 'Names the SDM screening tool' } });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    expect(edited.body.contentHash).not.toBe(d.body.contentHash);

    await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: agency.keys.author });
    const stale = await call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: agency.keys.approver, body: { contentHash: d.body.contentHash } });
    expect(stale.status).toBe(403);
    const approved = await call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: agency.keys.approver, body: { contentHash: edited.body.contentHash } });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('published');

    const history = await stack.db.query(
      `SELECT action FROM audit_events WHERE entity_type = 'notice' AND entity_id = $1 ORDER BY id`,
      [d.body.id],
    );
    expect(history.map((h: any) => h.action)).toEqual([
      'notice.drafted',
      'notice.submitted',
      'notice.rejected',
      'notice.edited',
      'notice.submitted',
      'notice.published',
    ]);
  });

  it('numbers published notices without gaps, and a failed approval takes no number', async () => {
    const first = await publish('First of a series');
    const d = await call('POST', '/api/v1/notices', { key: agency.keys.author, body: draftBody('Not approved') });
    await call('POST', `/api/v1/notices/${d.body.id}/submit`, { key: agency.keys.author });
    expect((await call('POST', `/api/v1/notices/${d.body.id}/approve`, { key: agency.keys.approver, body: { contentHash: '0'.repeat(64) } })).status).toBe(403);
    const second = await publish('Second of a series');
    const n = (ref: string) => Number(ref.split('-')[2]);
    expect(n(second.body.reference)).toBe(n(first.body.reference) + 1);
  });

  it('lists published notices for every member and drafts only for their agency, with filters', async () => {
    await publish('Safe sleep advisory', { topics: ['safe-sleep'], severity: 'high' });
    const draft = await call('POST', '/api/v1/notices', { key: agency.keys.author, body: draftBody('Private draft') });

    const mine = await call('GET', '/api/v1/notices?status=draft', { key: agency.keys.author });
    expect(mine.body.items.map((i: any) => i.id)).toContain(draft.body.id);
    const theirs = await call('GET', '/api/v1/notices', { key: other.keys.author });
    expect(theirs.body.items.map((i: any) => i.id)).not.toContain(draft.body.id);
    expect(theirs.body.items.every((i: any) => i.status === 'published')).toBe(true);

    const byTopic = await call('GET', '/api/v1/notices?topic=safe-sleep', { key: other.keys.supervisor });
    expect(byTopic.body.items.map((i: any) => i.title)).toEqual(['Safe sleep advisory']);
    const bySeverity = await call('GET', '/api/v1/notices?severity=high&status=published', { key: other.keys.supervisor });
    expect(bySeverity.body.total).toBe(1);
    const search = await call('GET', `/api/v1/notices?q=${encodeURIComponent('series')}`, { key: other.keys.supervisor });
    expect(search.body.items).toHaveLength(2);
    const wildcard = await call('GET', `/api/v1/notices?q=${encodeURIComponent('%')}`, { key: other.keys.supervisor });
    expect(wildcard.body.items).toHaveLength(0); // LIKE wildcards in the search are literal
  });
});
