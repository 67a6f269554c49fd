import { BadRequestException, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { audit, checkReviewRecord, deidFindingsOf, insertReviewRecords, RecordProblem, ReviewRecordInput } from '@sne/core';
import { actorOf, Principal } from '../common/principal';
import { readCsv } from './import-csv';
import { AgencyRef, columnOf, readRow } from './import-format';

export type RowStatus = 'created' | 'ready' | 'already_imported' | 'conflict' | 'invalid';
export type ImportOutcome = 'imported' | 'refused' | 'checked';

export interface RowReport {
  line: number;
  externalId: string;
  status: RowStatus;
  /** Each problem named by its column. */
  problems: RecordProblem[];
  /** The review: created now, or imported before. */
  reviewId?: string;
  reference?: string;
}

export interface ImportReport {
  /** imported: every row was fine and the new ones were written; refused: some row was not, nothing was written; checked: a dry run. */
  outcome: ImportOutcome;
  dryRun: boolean;
  /** The audit event's entity id for an import that ran; null for a dry run or a refused file. */
  importId: string | null;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  counts: { rows: number; created: number; ready: number; alreadyImported: number; conflicts: number; invalid: number };
  rows: RowReport[];
}

interface Judged {
  report: RowReport;
  input?: ReviewRecordInput;
}

const UNIQUE_EXTERNAL_ID = 'incident_reviews_agency_id_external_id_key';

/**
 * The bulk import of historical reviews (one CSV file, one agency). Every row is read and held to
 * the same rules as a review entered by hand (checkReviewRecord with complete ratings, and the
 * de-identification guard on every free text); rows are written as approved historical reviews
 * through the one write path (insertReviewRecords, set-based for the whole file). All or nothing per file: a file with any
 * invalid or conflicting row writes nothing, so an agency fixes the file and sends it again
 * rather than tracking which half went in. Idempotent by the agency's own external id: a row
 * imported before, with the same content, is "already imported"; with other content, a conflict
 * (the review is left as it is). Two imports of the same file at once cannot both write a row:
 * the unique (agency_id, external_id) makes the second transaction fail, and it is judged again
 * against what the first committed.
 */
@Injectable()
export class ReviewImportService {
  constructor(private readonly db: DataSource) {}

  async import(p: Principal, bytes: Buffer, dryRun: boolean): Promise<ImportReport> {
    const csv = readCsv(bytes);
    if (!csv.ok) throw new BadRequestException(csv.problems);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const judged = await this.judge(p.agencyId, csv.rows);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction((m) => this.run(m, p, judged, dryRun, sha256));
      } catch (err) {
        // Another import of the same rows committed first: judge them again against it.
        const constraint = (err as { constraint?: string; driverError?: { constraint?: string } }).driverError?.constraint ?? (err as { constraint?: string }).constraint;
        if ((err as { code?: string }).code !== '23505' || constraint !== UNIQUE_EXTERNAL_ID || attempt >= 3) throw err;
      }
    }
  }

  /** Each row read and checked on its own (no database but the agencies and the guard's public contacts). */
  private async judge(agencyId: string, rows: { line: number; cells: Record<string, string>; fieldCountProblem?: string }[]): Promise<Judged[]> {
    const agencies: AgencyRef[] = await this.db.query(`SELECT id::text, name, jurisdiction_code AS code FROM agencies WHERE offboarded_at IS NULL`);
    const [contacts] = await this.db.query(`SELECT notices_contact_email, escalation_contacts, fallback_contacts FROM agencies WHERE id = $1`, [agencyId]);
    const knownPublic = contacts ? [contacts.notices_contact_email, ...(contacts.escalation_contacts ?? []), ...(contacts.fallback_contacts ?? [])].filter(Boolean) : [];
    const firstLine = new Map<string, number>();
    const out: Judged[] = [];
    for (const { line, cells, fieldCountProblem } of rows) {
      // The guard is CPU work: let other requests through every so many rows.
      if (out.length % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      const { externalId, input, problems } = readRow(cells, agencies, agencyId);
      if (fieldCountProblem) problems.unshift({ field: 'row', message: fieldCountProblem });
      if (externalId) {
        const before = firstLine.get(externalId);
        if (before !== undefined) problems.push({ field: 'external_id', message: `appears again: line ${before} has the same external id` });
        else firstLine.set(externalId, line);
      }
      // A cell's own problem (an unknown owner agency, a text too long) says it better than the rule it then breaks.
      const named = new Set(problems.map((x) => x.field));
      for (const pr of checkReviewRecord(input, { complete: true })) {
        const field = columnOf(pr.field);
        if (!named.has(field)) problems.push({ field, message: pr.message });
      }
      for (const f of deidFindingsOf(input, knownPublic)) {
        problems.push({ field: columnOf(f.field), message: `may identify a child or family (${f.kind}): "${f.text}" (${f.reason})` });
      }
      const report: RowReport = { line, externalId, status: problems.length ? 'invalid' : 'ready', problems };
      out.push(problems.length ? { report } : { report, input });
    }
    return out;
  }

  private async run(m: EntityManager, p: Principal, judged: Judged[], dryRun: boolean, sha256: string): Promise<ImportReport> {
    const rows = judged.map((j) => ({ ...j, report: { ...j.report, problems: [...j.report.problems] } }));
    const ids = rows.filter((r) => r.input).map((r) => r.report.externalId);
    const existing: { external_id: string; id: string; reference: string; content: unknown }[] = ids.length
      ? await m.query(
          `SELECT r.external_id, r.id, r.reference, v.content FROM incident_reviews r
             LEFT JOIN review_versions v ON v.review_id = r.id AND v.version = 1 AND v.event = 'imported'
            WHERE r.agency_id = $1 AND r.external_id = ANY($2)`,
          [p.agencyId, ids],
        )
      : [];
    const byId = new Map(existing.map((e) => [e.external_id, e]));
    for (const r of rows) {
      const before = r.input && byId.get(r.report.externalId);
      if (!before) continue;
      Object.assign(r.report, { reviewId: before.id, reference: before.reference });
      if (before.content != null && canonical(before.content) === canonical(r.input)) r.report.status = 'already_imported';
      else {
        r.report.status = 'conflict';
        r.report.problems.push({
          field: 'external_id',
          message: before.content == null ? `belongs to review ${before.reference}, entered in the exchange, not imported: it is left as it is` : `was imported before as review ${before.reference} with different content: it is left as it is (amend that review instead)`,
        });
      }
    }
    const refused = rows.some((r) => r.report.status === 'invalid' || r.report.status === 'conflict');
    if (dryRun || refused) return report(rows, dryRun ? 'checked' : 'refused', dryRun, null, sha256);

    const importId = randomUUID();
    // Every new row through the one write path of review records, as one batch (set-based).
    const fresh = rows.filter((r) => r.report.status === 'ready' && r.input);
    const inserted = await insertReviewRecords(
      m,
      p.agencyId,
      p.userId,
      fresh.map((r) => ({ input: r.input!, opts: { status: 'approved' as const, imported: true, externalId: r.report.externalId } })),
    );
    const created = fresh.map((r, n) => {
      Object.assign(r.report, { status: 'created', reviewId: inserted[n].reviewId, reference: inserted[n].reference });
      return { ...inserted[n], externalId: r.report.externalId };
    });
    // One event per created review, in one statement.
    if (created.length) {
      await m.query(
        `INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, after)
         SELECT 'user', $1, $2, 'review.imported', 'review', id, jsonb_build_object('reference', ref, 'incidentReference', iref, 'externalId', ext, 'importId', $3::text, 'status', 'approved')
           FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS u(id, ref, iref, ext)`,
        [p.userId, p.agencyId, importId, created.map((c) => c.reviewId), created.map((c) => c.reference), created.map((c) => c.incidentReference), created.map((c) => c.externalId)],
      );
    }
    const done = report(rows, 'imported', false, importId, sha256);
    await audit(m, actorOf(p), { action: 'review_import.completed', entityType: 'review_import', entityId: importId, after: { sha256, ...done.counts } });
    return done;
  }
}

function report(rows: Judged[], outcome: ImportOutcome, dryRun: boolean, importId: string | null, sha256: string): ImportReport {
  const count = (s: RowStatus) => rows.filter((r) => r.report.status === s).length;
  return {
    outcome,
    dryRun,
    importId,
    sha256,
    counts: { rows: rows.length, created: count('created'), ready: count('ready'), alreadyImported: count('already_imported'), conflicts: count('conflict'), invalid: count('invalid') },
    rows: rows.map((r) => r.report),
  };
}

/** A value as text with every object's keys sorted (jsonb does not keep the order they were written in). */
function canonical(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])])) : x;
  return JSON.stringify(sort(JSON.parse(JSON.stringify(v))));
}
