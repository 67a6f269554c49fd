import type { EntityManager } from 'typeorm';

/** The states one required action of one recipient record can be in, as the figures count them. */
export const ACTION_STATES = ['done', 'underway', 'notYet', 'overdue', 'notApplicable'] as const;
export type ActionState = (typeof ACTION_STATES)[number];

export interface ActionFigureRow {
  noticeId: string;
  actionIndex: number;
  counts: Record<ActionState, number>;
  total: number;
}

/**
 * Agencies whose data-sharing agreement in force covers 'incidents': the latest row per agency
 * (rows are never updated; an empty `covers` is a withdrawal), signed on or before today.
 */
export const SHARING_AGENCIES_SQL = `
  SELECT agency_id FROM (
    SELECT DISTINCT ON (agency_id) agency_id, covers, signed_on FROM data_sharing_agreements
     ORDER BY agency_id, recorded_at DESC, id DESC) latest
   WHERE 'incidents' = ANY(covers) AND signed_on <= current_date`;

/**
 * For each required action of the given notices, how many recipient records are in each state,
 * by the latest answer to that action (as the recipients' own views show it): done, not
 * applicable, else overdue once past the action's own due time (or the record's), else underway,
 * else not yet. Records closed by a supersession or a cancellation are left out. `sharingOnly`:
 * only records of agencies whose data-sharing agreement covers incidents.
 */
export async function actionFigures(m: EntityManager, noticeIds: string[], opts: { sharingOnly: boolean }): Promise<ActionFigureRow[]> {
  if (!noticeIds.length) return [];
  const rows: any[] = await m.query(
    `WITH act AS (
       SELECT n.id AS notice_id, a.id AS ack_id, a.actions_due_at, x.i - 1 AS action_index
         FROM notices n JOIN acknowledgments a ON a.notice_id = n.id
        CROSS JOIN LATERAL generate_series(1, cardinality(n.required_actions)) AS x(i)
        WHERE n.id = ANY($1::uuid[]) AND n.category = 'alert' AND a.status NOT IN ('superseded','cancelled')
          AND (NOT $2 OR a.agency_id IN (${SHARING_AGENCIES_SQL}))),
     s AS (
       SELECT act.notice_id, act.action_index,
              CASE WHEN l.response = 'done' THEN 'done'
                   WHEN l.response = 'not_applicable' THEN 'notApplicable'
                   WHEN COALESCE(l.due_at, act.actions_due_at) < now() THEN 'overdue'
                   WHEN l.response = 'underway' THEN 'underway'
                   ELSE 'notYet' END AS state
         FROM act LEFT JOIN LATERAL (
           SELECT r.response, r.due_at FROM action_responses r
            WHERE r.acknowledgment_id = act.ack_id AND r.action_index = act.action_index ORDER BY r.id DESC LIMIT 1) l ON true)
     SELECT notice_id, action_index, state, count(*)::int AS n FROM s GROUP BY notice_id, action_index, state`,
    [noticeIds, opts.sharingOnly],
  );
  const out = new Map<string, ActionFigureRow>();
  for (const r of rows) {
    const key = `${r.notice_id}/${r.action_index}`;
    let row = out.get(key);
    if (!row) {
      row = { noticeId: r.notice_id, actionIndex: r.action_index, counts: { done: 0, underway: 0, notYet: 0, overdue: 0, notApplicable: 0 }, total: 0 };
      out.set(key, row);
    }
    row.counts[r.state as ActionState] = r.n;
    row.total += r.n;
  }
  return [...out.values()];
}
