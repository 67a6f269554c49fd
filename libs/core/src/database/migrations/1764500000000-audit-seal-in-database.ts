import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit sealer's hashing moves into PostgreSQL (issue 13: CPU per delivery).
 *
 * `sne_audit_seal(ids, first_seq, prev_hash)` links the given events (ascending ids, all
 * committed) into the chain exactly as the sealer did in JavaScript: in id order, each link's
 * hash = sha256(hex(previous hash) || canonical text of the event), UTF-8, and one `audit_chain`
 * row per event from `first_seq` on. It returns how many events it found and the last hash; when
 * an id has no event it writes nothing and returns a NULL head (the sealer starts over). The
 * sealer still decides which ids may be sealed (holes, fences: audit-sealer.ts); only the text and
 * the hashing stay in the database, so 30,000 canonical texts no longer travel to the dispatcher
 * and back as hex arrays for a 10,000-delivery notice.
 *
 * The canonical text below is `canonicalEventSql('e')` (audit-chain.ts) as of this migration,
 * frozen here as a migration must be; `audit-seal-function.test.ts` fails when the two differ, so a
 * change to the canonical text comes with a migration that replaces this function. The verifier
 * keeps its own hashing in JavaScript: the chain is checked by code that did not write it.
 *
 * SECURITY INVOKER: it runs with the caller's rights (the runtime role reads events and inserts
 * links, nothing more).
 */
export class AuditSealInDatabase1764500000000 implements MigrationInterface {
  name = 'AuditSealInDatabase1764500000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ schema }] = await q.query(`SELECT quote_ident(current_schema()) AS schema`);
    await q.query(`
      CREATE FUNCTION sne_audit_seal(ids bigint[], first_seq bigint, prev_hash bytea)
        RETURNS TABLE (sealed int, head bytea)
        LANGUAGE plpgsql SET search_path = ${schema}, pg_temp AS $fn$
        DECLARE
          ev record;
          h bytea := prev_hash;
          hashes bytea[] := '{}';
        BEGIN
          FOR ev IN
            SELECT ('{"at": "' || to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') ||
      '", "id": ' || e.id::text ||
      ', "after": ' || coalesce(e.after::text, 'null') ||
      ', "action": ' || coalesce(to_json(e.action)::text, 'null') ||
      ', "before": ' || coalesce(e.before::text, 'null') ||
      ', "actorId": ' || coalesce(to_json(e.actor_id)::text, 'null') ||
      ', "agencyId": ' || coalesce(to_json(e.agency_id)::text, 'null') ||
      ', "entityId": ' || coalesce(to_json(e.entity_id)::text, 'null') ||
      ', "actorType": ' || coalesce(to_json(e.actor_type)::text, 'null') ||
      ', "entityType": ' || coalesce(to_json(e.entity_type)::text, 'null') || '}') AS content
              FROM audit_events e
             WHERE e.id BETWEEN ids[1] AND ids[cardinality(ids)] AND e.id = ANY(ids)
             ORDER BY e.id
          LOOP
            h := sha256(convert_to(encode(h, 'hex') || ev.content, 'UTF8'));
            hashes := hashes || h;
          END LOOP;
          IF cardinality(hashes) <> cardinality(ids) THEN
            RETURN QUERY SELECT cardinality(hashes), NULL::bytea;
            RETURN;
          END IF;
          INSERT INTO audit_chain (seq, event_id, prev_hash, hash)
            SELECT first_seq + t.i - 1, t.id, coalesce(lag(t.hash) OVER (ORDER BY t.i), prev_hash), t.hash
              FROM unnest(ids, hashes) WITH ORDINALITY AS t(id, hash, i);
          RETURN QUERY SELECT cardinality(hashes), h;
        END $fn$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION sne_audit_seal(bigint[], bigint, bytea)`);
  }
}
