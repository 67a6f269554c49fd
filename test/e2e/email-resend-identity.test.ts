/**
 * An email the SMTP server accepted, whose outcome the courier never recorded (killed, or the
 * database gone, between the server's 250 and the write), is sent again when the sweeper finds
 * the delivery's lease expired: the recipient gets two copies (an outside crash audit counted
 * them). The copy carries the first one's Message-ID, derived from the delivery and the address,
 * so mail systems that de-duplicate by it show one message; every other delivery or address has
 * its own. Real apps (API, dispatcher with its sweeper, courier), JetStream and an SMTP server.
 */
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startStack, Stack } from '../support/stack';
import { apiClient, createAgency, createTopics, eventually, publishAdvisory, TestAgency } from '../support/fixtures';

const DESKS = ['desk@county.test', 'night-desk@county.test'];

describe('an email sent again after a crash carries the Message-ID of the copy already sent', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let call: ReturnType<typeof apiClient>;
  let issuer: TestAgency, county: TestAgency;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({ SMTP_URL: smtp.url });
    call = apiClient(stack.url);
    await createTopics(stack.db, ['safe-sleep']);
    issuer = await createAgency(stack.db, { name: 'Issuer', type: 'state' });
    county = await createAgency(stack.db, { name: 'County' });
    const sub = await call('POST', '/api/v1/subscriptions', {
      key: county.keys.agency_admin,
      body: { name: 'desks', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: DESKS },
    });
    expect(sub.status).toBe(201);
  });

  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });

  /** A published advisory (the suite's own helper) and its reference. */
  async function publish(title: string): Promise<{ id: string; reference: string }> {
    const id = await publishAdvisory(call, issuer, title);
    const [{ reference }] = await stack.db.query(`SELECT reference FROM notices WHERE id = $1`, [id]);
    return { id, reference };
  }
  const copies = (reference: string, to: string) => smtp.messages.filter((m) => m.subject?.includes(reference) && m.envelope.rcptTo.includes(to));

  it('the copy sent after the lease expired has the same Message-ID; other addresses and deliveries have their own', async () => {
    const first = await publish('Sent, then the courier died');
    const other = await publish('Another notice');
    await smtp.waitForCount(4, (m) => [first.reference, other.reference].some((r) => m.subject?.includes(r)));
    // The server has both copies; the courier records them a moment later.
    const [delivery] = await eventually(async () => {
      const rows = await stack.db.query(`SELECT id FROM deliveries WHERE notice_id = $1 AND agency_id = $2 AND status = 'delivered'`, [first.id, county.id]);
      return rows.length ? rows : undefined;
    }, 15_000, 'the delivery recorded');

    // What a courier killed after the server's 250 leaves behind: the delivery claimed for an attempt (its count
    // raised), mid-send under a lease now expired, nobody recorded as delivered.
    await stack.db.query(
      `UPDATE deliveries SET status = 'sending', attempt_count = attempt_count + 1, lease_until = now() - interval '1 second', updated_at = now() - interval '2 seconds', delivered_recipients = '{}'
        WHERE id = $1`,
      [delivery.id],
    );
    for (const to of DESKS) await smtp.waitForCount(2, (m) => m.subject?.includes(first.reference) === true && m.envelope.rcptTo.includes(to), 30_000);

    const ids = (reference: string, to: string) => copies(reference, to).map((m) => m.messageId);
    for (const to of DESKS) {
      const [sent, again] = ids(first.reference, to);
      expect(again).toBe(sent);
      expect(sent).toMatch(new RegExp(`^<${delivery.id}\\.[0-9a-f]{16}@`));
    }
    const all = [...DESKS.map((to) => ids(first.reference, to)[0]), ...DESKS.map((to) => ids(other.reference, to)[0])];
    expect(new Set(all).size).toBe(4);
    // The server has the copies; the courier records them a moment later.
    const after = await eventually(async () => {
      const [row] = await stack.db.query(`SELECT status, delivered_recipients FROM deliveries WHERE id = $1`, [delivery.id]);
      return row.status === 'delivered' ? row : undefined;
    }, 15_000, 'the resend recorded');
    expect({ status: after.status, recipients: [...after.delivered_recipients].sort() }).toEqual({ status: 'delivered', recipients: [...DESKS].sort() });
    // The resend is recorded as such: the attempt with no outcome, then the one the server accepted.
    const attempts = await stack.db.query(`SELECT succeeded, error FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt_number, started_at`, [delivery.id]);
    expect(attempts.some((a: { succeeded: boolean; error: string | null }) => !a.succeeded && /no outcome recorded/.test(a.error ?? ''))).toBe(true);
  });
});
