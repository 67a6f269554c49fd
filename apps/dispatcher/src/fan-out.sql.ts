/** The fan-out's SQL fragments, shared by its statements (fan-out.service.ts). */

/** A record still asks something of its agency: not yet acknowledged, or an alert's actions unanswered. */
export const OPEN_RECORD = `(status = 'pending' OR (status = 'acknowledged' AND (SELECT category FROM notices WHERE id = notice_id) = 'alert'))`;

/**
 * The notice's ($1) acknowledgment of an agency, looked up by its unique key one agency at a time
 * (LIMIT keeps PostgreSQL from turning it into a hash of every acknowledgment of the notice, which
 * made each page of a large fan-out read all the pages before it).
 */
export const ACK_OF = (agencyId: string) => `SELECT id FROM acknowledgments WHERE notice_id = $1 AND agency_id = ${agencyId} LIMIT 1`;

/**
 * The agency had the original of this update (n.supersedes_id), so tellRecipients told it. Asked
 * only for an update: as a bare NOT EXISTS it became a hash anti-join that read every
 * acknowledgment in the table for each page, even for a new notice.
 */
export const HAD_ORIGINAL = (agencyId: string) =>
  `(n.supersedes_id IS NOT NULL AND EXISTS (SELECT 1 FROM acknowledgments o WHERE o.notice_id = n.supersedes_id AND o.agency_id = ${agencyId}))`;

/** A new subscription delivery waits (held) while its subscription is paused or disabled. */
export const INITIAL_STATUS = `CASE WHEN s.status = 'active' THEN 'pending' ELSE 'held' END`;

export const AUDIT_CREATED = `
  INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
  SELECT 'system', 'dispatcher', agency_id, 'delivery.created', 'delivery', id,
         jsonb_build_object('status', status, 'channel', channel, 'subscriptionId', subscription_id)
    FROM ins RETURNING 1`;

/** AUDIT_CREATED as a CTE, for a statement that returns something else. */
export const AUDIT_CREATED_CTE = `,
  audited AS (${AUDIT_CREATED.replace('RETURNING 1', '')})`;

/** AUDIT_CREATED as a CTE, returning the created deliveries instead. */
export const AUDIT_CREATED_ROWS = `${AUDIT_CREATED_CTE}
  SELECT id, status, target_url FROM ins`;
