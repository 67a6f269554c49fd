/**
 * What each DTO of the API takes, for test/e2e/fuzz.test.ts: its fields' kinds (to send each one
 * a wrong type), a valid body, refusals past validation that the service makes (poisons), and a
 * valid request but for a NUL in a stored text, which the database refuses.
 */
import { Kind } from './hostile-input';
import { FuzzContext, REVIEW } from './fuzz-scene';

// ── what each DTO takes: its fields' kinds, a valid body, and refusals past validation ──
export interface Dto {
  fields: Record<string, Kind>;
  valid: () => Record<string, unknown>;
  /** No required field: an empty or unparsed body would pass validation. */
  allOptional?: boolean;
  /** Valid-looking requests the service refuses (body, and the path parameter / key it needs). */
  poisons?: (() => { body: Record<string, unknown>; id?: string; key?: string })[];
  /** A valid request but for a NUL character in a stored text: it reaches the database, which refuses it. */
  nul?: () => { body: Record<string, unknown>; id?: string; key?: string };
}

export function fuzzDtos(x: FuzzContext): Record<string, Dto> {
  const { rnd, hostile, A, B, P, w } = x;
  const noticeFields: Record<string, Kind> = {
    title: 'str', summary: 'str', body: 'str', category: 'enum', severity: 'enum', topics: 'strs', targetJurisdictions: 'strs', requiredActions: 'strs',
    acknowledgeBy: 'date', actionsDueBy: 'date', effectiveAt: 'date', expiresAt: 'date', referenceIds: 'uuids', incidentReference: 'str',
  };
  const validNotice = () => ({ title: `T ${hostile()}`.slice(0, 200), summary: `S ${hostile()}`.slice(0, 1000), body: hostile() + ' body', category: 'advisory', severity: 'low', topics: ['safe-sleep'], incidentReference: hostile().slice(0, 100) });
  const unknownTopic = () => ({ ...validNotice(), topics: ['no-such-topic'] });
  return {
    'POST /api/v1/notices': { nul: () => ({ body: { ...validNotice(), incidentReference: 'case\u0000ref' } }),  fields: noticeFields, valid: validNotice, poisons: [() => ({ body: unknownTopic() }), () => ({ body: { ...validNotice(), referenceIds: [rnd.uuid()] } })] },
    'PATCH /api/v1/notices/:id': { nul: () => ({ body: { title: 'A title\u0000' }, id: w.Adraft.id }),  fields: noticeFields, valid: validNotice, allOptional: true, poisons: [() => ({ body: unknownTopic(), id: w.Adraft.id })] },
    'POST /api/v1/notices/:id/updates': { nul: () => ({ body: { title: 'A title\u0000', material: false }, id: w.Apublished.id }), 
      fields: { ...noticeFields, material: 'bool' },
      valid: () => ({ ...validNotice(), material: true }),
      poisons: [() => ({ body: { ...unknownTopic(), material: true }, id: w.Apublished.id })],
    },
    'POST /api/v1/notices/:id/approve': { fields: { contentHash: 'str' }, valid: () => ({ contentHash: 'f'.repeat(64) }), poisons: [() => ({ body: { contentHash: 'f'.repeat(64) }, id: w.Areview.id })] },
    'POST /api/v1/notices/:id/reject': { nul: () => ({ body: { reasons: ['a\u0000b'] }, id: w.Areview.id }),  fields: { reasons: 'strs' }, valid: () => ({ reasons: [hostile() || 'x'] }), poisons: [() => ({ body: { reasons: [hostile() + 'x'] }, id: w.Adraft.id })] },
    'POST /api/v1/notices/:id/cancel': { nul: () => ({ body: { reason: 'a reason\u0000' }, id: w.Apublished.id }),  fields: { reason: 'str' }, valid: () => ({ reason: `r ${hostile()}` }), poisons: [() => ({ body: { reason: `reason ${hostile()}` }, id: w.Adraft.id })] },
    'POST /api/v1/notices/:id/deid-overrides': {
      fields: { overrides: 'strs' },
      valid: () => ({ overrides: [{ field: 'body', kind: 'phone', text: hostile().slice(0, 1000), justification: `because ${hostile()}`.slice(0, 2000) }] }),
      // No finding matches (422), the author may not override (403), or another agency's draft (404).
      poisons: [
        () => ({ body: { overrides: [{ field: 'body', kind: 'phone', text: hostile().slice(0, 1000), justification: `because ${hostile()}`.slice(0, 2000) }] }, id: w.Adraft.id }),
        () => ({ body: { overrides: [{ field: 'body', kind: 'phone', text: '555', justification: 'long enough reason' }] }, id: w.Adraft.id, key: A.keys.author }),
        () => ({ body: { overrides: [{ field: 'body', kind: 'phone', text: '555', justification: 'long enough reason' }] }, id: w.Bdraft.id }),
      ],
    },
    'POST /api/v1/subscriptions': { nul: () => ({ body: { name: 'n\u0000', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['x@y.test'] } }), 
      fields: { name: 'str', topicPatterns: 'strs', minSeverity: 'enum', channel: 'enum', emailAddresses: 'emails', webhookUrl: 'str' },
      valid: () => ({ name: `n ${hostile()}`.slice(0, 200), topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['x@y.test'] }),
      poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200), topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['x@y.test'], webhookUrl: 'https://intake.example.org/x' } })],
    },
    'PATCH /api/v1/subscriptions/:id': { nul: () => ({ body: { name: 'n\u0000' }, id: w.Asub.id }), 
      fields: { name: 'str', topicPatterns: 'strs', minSeverity: 'enum', emailAddresses: 'emails', webhookUrl: 'str' },
      valid: () => ({ name: `n ${hostile()}`.slice(0, 200) }),
      allOptional: true,
      poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200), webhookUrl: 'https://intake.example.org/x' }, id: w.Asub.id })],
    },
    'POST /api/v1/users': { nul: () => ({ body: { email: 'nul@agency.test', name: 'N\u0000', roles: ['supervisor'] }, key: A.keys.agency_admin }), 
      fields: { agencyId: 'uuid', email: 'email', name: 'str', roles: 'strs', kind: 'enum' },
      valid: () => ({ email: 'new@agency.test', name: `n ${hostile()}`.slice(0, 200), roles: ['supervisor'] }),
      poisons: [() => ({ body: { email: 'new@agency.test', name: `n ${hostile()}`.slice(0, 200), roles: ['supervisor'], agencyId: B.id }, key: A.keys.agency_admin })],
    },
    'PATCH /api/v1/agencies/:id': { nul: () => ({ body: { name: 'Name\u0000' }, id: A.id, key: A.keys.agency_admin }), 
      fields: { name: 'str', jurisdictionType: 'enum', jurisdictionCode: 'str', timeZone: 'str', noticesContactEmail: 'email', escalationContacts: 'emails', fallbackContacts: 'emails' },
      valid: () => ({ name: `n ${hostile()}`.slice(0, 200) }),
      allOptional: true,
      poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200) }, id: B.id, key: A.keys.agency_admin }), () => ({ body: { jurisdictionCode: hostile() || 'x' }, id: rnd.uuid(), key: P.keys.admin })],
    },
    'POST /api/v1/agencies': { nul: () => ({ body: { name: 'Name\u0000', jurisdictionType: 'county', jurisdictionCode: 'x', timeZone: 'UTC', noticesContactEmail: 'a@b.test' } }), 
      fields: { name: 'str', jurisdictionType: 'enum', jurisdictionCode: 'str', timeZone: 'str', noticesContactEmail: 'email', escalationContacts: 'emails', fallbackContacts: 'emails' },
      valid: () => ({ name: `n ${hostile()}`.slice(0, 200), jurisdictionType: 'county', jurisdictionCode: 'x', timeZone: 'UTC', noticesContactEmail: 'a@b.test' }),
    },
    'POST /api/v1/topics': { nul: () => ({ body: { key: 'nul-topic', title: 'T\u0000' } }), 
      fields: { key: 'str', title: 'str', description: 'str' },
      valid: () => ({ key: 'safe-sleep', title: `t ${hostile()}`.slice(0, 200) }),
      poisons: [() => ({ body: { key: 'safe-sleep', title: `t ${hostile()}`.slice(0, 200), description: hostile() } })],
    },
    'POST /api/v1/api-keys': { nul: () => ({ body: { name: 'k\u0000' } }), 
      fields: { name: 'str', userId: 'uuid', expiresAt: 'date', roles: 'strs' },
      valid: () => ({ name: `k ${hostile()}`.slice(0, 200) }),
      poisons: [() => ({ body: { name: `k ${hostile()}`.slice(0, 200), expiresAt: '2001-01-01T00:00:00Z' } }), () => ({ body: { name: `k ${hostile()}`.slice(0, 200), userId: B.userIds.author }, key: A.keys.agency_admin })],
    },
    'POST /api/v1/auth/login': {
      fields: { email: 'email', password: 'str' },
      valid: () => ({ email: `nobody-${rnd.int(1e6)}@nowhere.test`, password: hostile() || 'x' }),
      poisons: [() => ({ body: { email: `nobody-${rnd.int(1e6)}@nowhere.test`, password: (hostile() || 'x').slice(0, 200) } })],
    },
    'POST /api/v1/auth/password': {
      fields: { currentPassword: 'str', newPassword: 'str' },
      valid: () => ({ currentPassword: 'wrong password', newPassword: 'a long enough new password' }),
      poisons: [() => ({ body: { currentPassword: (hostile() || 'x').slice(0, 200), newPassword: `${hostile()} long enough`.slice(0, 200) } })],
    },
    'PATCH /api/v1/users/:id': {
      fields: { name: 'str', email: 'email' },
      valid: () => ({ name: `n ${hostile()}`.slice(0, 200) }),
      allOptional: true,
      // A user of another agency (404), an email address already taken (409).
      poisons: [
        () => ({ body: { name: `n ${hostile()}`.slice(0, 200) }, id: B.userIds.supervisor, key: A.keys.agency_admin }),
        () => ({ body: { email: `author-${A.name.split(' ').pop()}@agency.test` }, id: A.userIds.supervisor, key: A.keys.agency_admin }),
      ],
      nul: () => ({ body: { name: 'N\u0000' }, id: A.userIds.supervisor, key: A.keys.agency_admin }),
    },
    'PUT /api/v1/users/:id/roles': {
      fields: { roles: 'strs' },
      valid: () => ({ roles: ['supervisor'] }),
      // A role the agency admin cannot grant (403), the agency admin itself (403), a user out of reach (404: another agency).
      poisons: [
        () => ({ body: { roles: ['admin'] }, id: A.userIds.supervisor, key: A.keys.agency_admin }),
        () => ({ body: { roles: ['supervisor'] }, id: A.userIds.agency_admin, key: A.keys.agency_admin }),
        () => ({ body: { roles: ['supervisor'] }, id: B.userIds.supervisor, key: A.keys.agency_admin }),
      ],
    },
    'POST /api/v1/users/:id/disable': {
      fields: { reason: 'str' },
      valid: () => ({ reason: `r ${hostile()}`.slice(0, 500) }),
      allOptional: true,
      poisons: [
        () => ({ body: { reason: 'left' }, id: A.userIds.agency_admin, key: A.keys.agency_admin }),
        () => ({ body: { reason: 'left' }, id: B.userIds.supervisor, key: A.keys.agency_admin }),
        () => ({ body: { reason: 'left' }, id: P.userIds.admin, key: P.keys.admin }),
      ],
      // A NUL only the audit log's jsonb would refuse: the disabling must roll back with it.
      nul: () => ({ body: { reason: 'left\u0000' }, key: A.keys.agency_admin }),
    },
    'POST /api/v1/agencies/:id/offboard': {
      fields: { reason: 'str' },
      valid: () => ({ reason: `r ${hostile()}`.slice(0, 500) }),
      // Its own agency (403), an agency already offboarded (409), no such agency (404).
      poisons: [
        () => ({ body: { reason: 'leaving the partnership' }, id: P.id, key: P.keys.admin }),
        () => ({ body: { reason: 'leaving the partnership' }, id: w.offboarded, key: P.keys.admin }),
        () => ({ body: { reason: 'leaving the partnership' }, id: rnd.uuid(), key: P.keys.admin }),
      ],
      nul: () => ({ body: { reason: 'left\u0000' }, key: P.keys.admin }),
    },
    'PATCH /api/v1/topics/:key': {
      fields: { title: 'str', description: 'str', retired: 'bool' },
      valid: () => ({ title: `t ${hostile()}`.slice(0, 200) }),
      allOptional: true,
      poisons: [() => ({ body: { title: 'A title' }, id: 'no-such-topic', key: P.keys.admin }), () => ({ body: { title: 'A title' }, key: A.keys.agency_admin })],
      nul: () => ({ body: { title: 'T\u0000' }, key: P.keys.admin }),
    },
    'PUT /api/v1/users/:id/password': {
      fields: { password: 'str' },
      valid: () => ({ password: 'a long enough new password' }),
      poisons: [() => ({ body: { password: `${hostile()} long enough`.slice(0, 200) }, id: rnd.uuid() }), () => ({ body: { password: 'a long enough password' }, id: B.userIds.supervisor, key: A.keys.agency_admin })],
    },
    'POST /api/v1/notices/:id/acknowledgments': { nul: () => ({ body: { name: 'N\u0000' }, id: w.Bpublished.id }),  fields: { name: 'str' }, valid: () => ({ name: `n ${hostile()}`.slice(0, 200) }), allOptional: true, poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200) }, id: w.Adraft.id })] },
    'POST /api/v1/notices/:id/acknowledgments/actions': {
      fields: { name: 'str', answers: 'answers' },
      valid: () => ({ answers: [{ action: 0, response: 'done', note: hostile() }] }),
      poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200), answers: [{ action: 0, response: 'not_applicable', note: hostile() + 'x' }] }, id: w.Adraft.id })],
    },
    'POST /api/v1/acknowledgments/:token': { nul: () => ({ body: { name: 'N\u0000' }, id: w.validToken }), 
      fields: { name: 'str' },
      valid: () => ({ name: `n ${hostile()}`.slice(0, 200) }),
      poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200) }, id: rnd.pick([w.expiredToken, w.foreignToken, 'eyJhY2tJZCI6IngifQ.Zm9yZ2Vk']) })],
    },
    // issue 12, survey collection
    'POST /api/v1/surveys/waves': {
      fields: { title: 'str', opensOn: 'date', closesOn: 'date', instrumentVersion: 'str', teams: 'strs' },
      valid: () => ({ title: `T ${hostile()}`.slice(0, 200), opensOn: '2027-01-01', closesOn: '2027-01-31', teams: [{ name: 'North unit', expectedHeadcount: 5 }] }),
      poisons: [
        () => ({ body: { title: 'Backwards', opensOn: '2027-02-01', closesOn: '2027-01-01', teams: [{ name: 'North unit', expectedHeadcount: 5 }] } }),
        () => ({ body: { title: 'Unknown version', opensOn: '2027-01-01', closesOn: '2027-01-31', instrumentVersion: '99', teams: [{ name: 'North unit', expectedHeadcount: 5 }] } }),
        () => ({ body: { title: 'Twice the same team', opensOn: '2027-01-01', closesOn: '2027-01-31', teams: [{ name: 'North unit', expectedHeadcount: 5 }, { name: 'north UNIT', expectedHeadcount: 3 }] } }),
      ],
    },
    'POST /api/v1/surveys/waves/:id/teams/:teamId/recipients': {
      fields: { emails: 'emails' },
      valid: () => ({ emails: ['member@agency.test'] }),
      poisons: [() => ({ body: { emails: ['member@agency.test', rnd.pick(['not an address', 'a@', hostile() || 'x'])] } }), () => ({ body: { emails: ['member@agency.test'] }, id: w.Bwave.id })],
    },
    'POST /api/v1/surveys/waves/:id/teams/:teamId/codes': {
      fields: { count: 'int' },
      valid: () => ({ count: 3 }),
      poisons: [() => ({ body: { count: 3 }, id: w.Bwave.id })],
    },
    // issue 11, reporting (i11-report): an agreement in the future (400), another agency's (404), no such agency (404)
    'POST /api/v1/agencies/:id/data-sharing': {
      fields: { covers: 'strs', signedOn: 'date', note: 'str' },
      valid: () => ({ covers: ['incidents'], signedOn: '2025-01-01', note: `n ${hostile()}`.slice(0, 2000) }),
      poisons: [
        () => ({ body: { covers: ['incidents'], signedOn: '2999-01-01' }, id: A.id, key: A.keys.agency_admin }),
        () => ({ body: { covers: ['incidents'], signedOn: '2025-01-01' }, id: B.id, key: A.keys.agency_admin }),
        () => ({ body: { covers: [], signedOn: '2025-01-01', note: hostile() }, id: rnd.uuid(), key: P.keys.admin }),
      ],
      nul: () => ({ body: { covers: ['incidents'], signedOn: '2025-01-01', note: 'signed\u0000' }, id: A.id, key: A.keys.agency_admin }),
    },
    'POST /api/v1/acknowledgments/:token/actions': {
      fields: { name: 'str', answers: 'answers' },
      valid: () => ({ name: 'Pat', answers: [{ action: 0, response: 'done' }] }),
      poisons: [() => ({ body: { name: `n ${hostile()}`.slice(0, 200), answers: [{ action: 0, response: 'done', note: hostile() }] }, id: rnd.pick([w.expiredToken, w.foreignToken]) })],
    },
    // ── issue 11, reviews: the own object of every write is one whose state refuses it (a draft to approve, return, share,
    // amend or change a recommendation of; a submitted review to edit), so only validation and the service answer.
    'POST /api/v1/reviews': {
      fields: { summary: 'str', instrumentVersion: 'str', leadId: 'uuid' },
      valid: () => ({ ...REVIEW, summary: `S ${hostile()}`.slice(0, 1000) }),
      // The guard (422), a code not in the lists (400), a lead who is not a review lead (400).
      poisons: [
        () => ({ body: { ...REVIEW, summary: 'Call the mother at 555-201-3344.' } }),
        () => ({ body: { ...REVIEW, incident: { ...REVIEW.incident, ageBand: hostile() || 'x' } } }),
        () => ({ body: { ...REVIEW, leadId: A.userIds.author } }),
      ],
      nul: () => ({ body: { ...REVIEW, summary: 'A summary\u0000' } }),
    },
    'PATCH /api/v1/reviews/:id': {
      fields: { summary: 'str', leadId: 'uuid' },
      valid: () => ({ summary: `S ${hostile()}`.slice(0, 1000) }),
      allOptional: true,
      poisons: [() => ({ body: { summary: 'Call the mother at 555-201-3344.' }, id: w.AreviewDraft.id }), () => ({ body: { summary: 'x' }, id: w.BreviewDraft.id })],
    },
    'POST /api/v1/reviews/:id/approve': { fields: { version: 'int', contentHash: 'str' }, valid: () => ({ version: 1, contentHash: 'f'.repeat(64) }) },
    'POST /api/v1/reviews/:id/return': { fields: { reason: 'str' }, valid: () => ({ reason: `r ${hostile()}`.slice(0, 2000).padEnd(3, 'x') }) },
    'POST /api/v1/reviews/:id/share': { fields: { sharedSummary: 'str' }, valid: () => ({ sharedSummary: `A summary ${hostile()}`.slice(0, 20000) }) },
    'PATCH /api/v1/reviews/:id/recommendations/:recId': {
      fields: { status: 'enum', reason: 'str', implementedOn: 'str' },
      valid: () => ({ status: 'accepted' }),
      poisons: [() => ({ body: { status: 'not_adopted' }, id: w.AreviewDraft.id })],
    },
    // ── issue 11, review to notice: the own object is a review draft (409); the approved one only with a body the service refuses.
    'POST /api/v1/reviews/:id/notice-draft': {
      fields: { topics: 'strs', severity: 'enum', recommendationIds: 'uuids' },
      valid: () => ({ severity: 'low' }),
      allOptional: true,
      // An unknown topic (400), a recommendation of another review (400), another agency's review (404), an author's draft review (409).
      poisons: [
        () => ({ body: { topics: ['no-such-topic'] }, id: w.AreviewApproved.id, key: A.keys.author }),
        () => ({ body: { recommendationIds: [rnd.uuid()] }, id: w.AreviewApproved.id, key: A.keys.author }),
        () => ({ body: {}, id: w.BreviewDraft.id, key: A.keys.author }),
        () => ({ body: { severity: 'critical' }, id: w.AreviewDraft.id, key: A.keys.author }),
      ],
    },
  };
}
