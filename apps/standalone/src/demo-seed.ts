import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { Agency, audit, hashPassword, systemActor, Topic, User } from '@sne/core';
import { issueApiKey } from '../../api/src/api-keys/api-keys.controller';
import { seedDemoSurveys } from './demo-seed-surveys';
import { DemoReviewAgency, seedDemoReviews } from './demo-seed-reviews';

export interface DemoKey {
  role: string;
  agency: string;
  name: string;
  email: string;
  key: string;
  /** Sign-in password for the console (demo data only). */
  password: string;
}

const AGENCIES = [
  { name: 'National Partnership for Child Safety', jurisdictionType: 'federal', jurisdictionCode: 'US', timeZone: 'America/New_York', noticesContactEmail: 'notices@partnership.example' },
  { name: 'Ohio Department of Children and Youth', jurisdictionType: 'state', jurisdictionCode: '39', timeZone: 'America/New_York', noticesContactEmail: 'safety@ohio-dcy.example' },
  { name: 'Franklin County Children Services', jurisdictionType: 'county', jurisdictionCode: '39049', timeZone: 'America/New_York', noticesContactEmail: 'notices@fccs.example' },
  { name: 'Cherokee Nation Indian Child Welfare', jurisdictionType: 'tribal', jurisdictionCode: 'Cherokee Nation', timeZone: 'America/Chicago', noticesContactEmail: 'icw@cherokee.example' },
  { name: 'Arizona Department of Child Safety', jurisdictionType: 'state', jurisdictionCode: '04', timeZone: 'America/Phoenix', noticesContactEmail: 'alerts@azdcs.example' },
] as const;

const USERS = [
  { agency: 0, name: 'Pat Admin', email: 'admin@partnership.example', roles: ['admin'] },
  { agency: 1, name: 'Alice Author', email: 'alice@ohio-dcy.example', roles: ['author'] },
  { agency: 1, name: 'Ben Approver', email: 'ben@ohio-dcy.example', roles: ['approver'] },
  { agency: 1, name: 'Sam Supervisor', email: 'sam@ohio-dcy.example', roles: ['supervisor'] },
  { agency: 2, name: 'Fran County-Admin', email: 'fran@fccs.example', roles: ['agency_admin', 'supervisor'] },
  { agency: 3, name: 'Wilma Tribal-Admin', email: 'wilma@cherokee.example', roles: ['agency_admin', 'supervisor'] },
  // Critical incident reviews (issue 11): a review team in Ohio, and the partnership's analyst.
  { agency: 1, name: 'Rita Reviewer', email: 'rita@ohio-dcy.example', roles: ['reviewer'] },
  { agency: 1, name: 'Leo Review-Lead', email: 'leo@ohio-dcy.example', roles: ['review_lead'] },
  { agency: 0, name: 'Ana Analyst', email: 'ana@partnership.example', roles: ['analyst'] },
] as const;

/**
 * The demo's year of approved reviews per agency (index into AGENCIES): enough that most
 * dashboard cells pass k = 5, while the tribal agency's few fatality reviews show suppression. Agencies
 * without demo users get a review lead and an approver who cannot sign in (people to attribute to).
 */
const REVIEWS: { agency: number; reviews: number; plan?: DemoReviewAgency['plan'] }[] = [
  { agency: 1, reviews: 70 },
  { agency: 2, reviews: 65 },
  {
    agency: 3,
    reviews: 0,
    plan: [
      ...[0, 1, 2, 3].map((quarter) => ({ quarter, type: 'serious_injury' as const, count: 6 })),
      { quarter: 1, type: 'near_fatality', count: 5 },
      { quarter: 2, type: 'near_fatality', count: 5 },
      { quarter: 2, type: 'fatality', count: 2 },
    ],
  },
  { agency: 4, reviews: 65 },
];

const TOPICS = [
  ['safe-sleep', 'Safe sleep', 'Unsafe sleep products and practices'],
  ['substance-exposure.fentanyl', 'Fentanyl exposure', 'Fentanyl exposure patterns among children'],
  ['substance-exposure.xylazine', 'Xylazine exposure', 'Xylazine exposure patterns among children'],
  ['intake.screening', 'Intake screening', 'Gaps in screening practice at intake'],
  ['medical.abusive-head-trauma', 'Abusive head trauma', 'Recognition and response'],
] as const;

/**
 * A small demo partnership for the embedded default: agencies, topics, one user per role and
 * email subscriptions, so a newcomer can draft, approve and acknowledge at once. Runs only on
 * an empty database; the demo keys are kept in a local file (dev only) to be shown at each start.
 */
export async function seedDemo(db: DataSource, keysFile: string): Promise<DemoKey[]> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM agencies`);
  if (n > 0) return existsSync(keysFile) ? JSON.parse(readFileSync(keysFile, 'utf8')) : [];
  const keys: DemoKey[] = await db.transaction(async (m) => {
    const actor = systemActor('demo-seed');
    const agencies = [];
    for (const a of AGENCIES) {
      const agency = await m.save(m.create(Agency, { ...a, escalationContacts: [], fallbackContacts: [] }));
      await audit(m, actor, { action: 'agency.created', entityType: 'agency', entityId: agency.id, agencyId: agency.id, after: a });
      agencies.push(agency);
    }
    for (const [key, title, description] of TOPICS) {
      await m.insert(Topic, { key, title, description });
      await audit(m, actor, { action: 'topic.created', entityType: 'topic', entityId: key, after: { key, title } });
    }
    const out: DemoKey[] = [];
    const byEmail = new Map<string, User>();
    for (const u of USERS) {
      const agency = agencies[u.agency];
      const user = await m.save(m.create(User, { agencyId: agency.id, name: u.name, email: u.email, roles: [...u.roles] }));
      byEmail.set(u.email, user);
      await audit(m, actor, { action: 'user.created', entityType: 'user', entityId: user.id, agencyId: agency.id, after: { email: u.email, roles: u.roles } });
      const issued = await issueApiKey(m, user, 'demo key', null);
      await audit(m, actor, { action: 'api_key.created', entityType: 'api_key', entityId: issued.id, agencyId: agency.id, after: { prefix: issued.prefix, userId: user.id, roles: issued.roles } });
      const password = `demo-${randomBytes(6).toString('base64url')}`;
      await m.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [user.id, await hashPassword(password)]);
      await audit(m, actor, { action: 'user.password_set', entityType: 'user', entityId: user.id, agencyId: agency.id });
      out.push({ role: u.roles.join('+'), agency: agency.name, name: u.name, email: u.email, key: issued.key, password });
    }
    const subs = [
      { agency: agencies[2], name: 'Franklin County intake desk', patterns: ['safe-sleep', 'substance-exposure.>'], emails: ['intake@fccs.example', 'supervisors@fccs.example'] },
      { agency: agencies[3], name: 'ICW safety desk', patterns: ['safe-sleep', 'medical.*'], emails: ['safety@cherokee.example'] },
      { agency: agencies[1], name: 'Ohio statewide safety', patterns: ['>'], emails: ['safety-desk@ohio-dcy.example'] },
    ];
    for (const s of subs) {
      const [row] = await m.query(
        `INSERT INTO subscriptions (agency_id, name, topic_patterns, min_severity, channel, email_addresses)
         VALUES ($1, $2, $3, 'low', 'email', $4) RETURNING id`,
        [s.agency.id, s.name, s.patterns, s.emails],
      );
      await audit(m, actor, { action: 'subscription.created', entityType: 'subscription', entityId: row.id, agencyId: s.agency.id, after: { name: s.name } });
    }
    await seedSharingAndReviews(m, agencies, byEmail);
    // After the reviews: the survey seed adds 'culture' to the agreement in force.
    await seedDemoSurveys(m, agencies);
    return out;
  });
  mkdirSync(dirname(keysFile), { recursive: true });
  writeFileSync(keysFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** Data-sharing agreements for every member agency, and a year of approved reviews (demo-seed-reviews.ts). */
async function seedSharingAndReviews(m: EntityManager, agencies: Agency[], byEmail: Map<string, User>): Promise<void> {
  const actor = systemActor('demo-seed');
  const signedOn = `${new Date().getUTCFullYear() - 1}-12-15`;
  for (const agency of agencies.slice(1)) {
    const admin = [...byEmail.values()].find((u) => u.agencyId === agency.id && u.roles.includes('agency_admin')) ?? byEmail.get('admin@partnership.example')!;
    const [row] = await m.query(
      `INSERT INTO data_sharing_agreements (agency_id, covers, signed_on, note, recorded_by) VALUES ($1, '{incidents,culture}', $2, 'Partnership data-sharing agreement (demo)', $3) RETURNING id`,
      [agency.id, signedOn, admin.id],
    );
    await audit(m, actor, { action: 'data_sharing.recorded', entityType: 'data_sharing_agreement', entityId: row.id, agencyId: agency.id, after: { covers: ['incidents', 'culture'], signedOn } });
  }
  const teams = [];
  for (const r of REVIEWS) {
    const agency = agencies[r.agency];
    let lead = [...byEmail.values()].find((u) => u.agencyId === agency.id && u.roles.includes('review_lead'));
    let approver = [...byEmail.values()].find((u) => u.agencyId === agency.id && u.roles.includes('approver'));
    const domain = AGENCIES[r.agency].noticesContactEmail.split('@')[1];
    for (const [role, found] of [['review_lead', lead], ['approver', approver]] as const) {
      if (found) continue;
      const person = await m.save(m.create(User, { agencyId: agency.id, name: `${role === 'approver' ? 'Review approver' : 'Review lead'} (demo)`, email: `${role.replace('_', '-')}@${domain}`, roles: [role] }));
      await audit(m, actor, { action: 'user.created', entityType: 'user', entityId: person.id, agencyId: agency.id, after: { email: person.email, roles: [role] } });
      if (role === 'review_lead') lead = person;
      else approver = person;
    }
    teams.push({ id: agency.id, name: agency.name, jurisdictionType: agency.jurisdictionType, reviews: r.reviews, plan: r.plan, leadId: lead!.id, approverId: approver!.id });
  }
  await seedDemoReviews(m, teams);
}
