import type { EntityManager } from 'typeorm';
import type { ActorType } from '../database/entities';

export interface Actor {
  type: ActorType;
  /** User id, recipient e-mail or system component name. */
  id: string | null;
  agencyId: string | null;
}

export const systemActor = (component: string): Actor => ({ type: 'system', id: component, agencyId: null });

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** The agency the event concerns (defaults to the actor's). */
  agencyId?: string | null;
}

/** Writes an audit event inside the caller's transaction, so the event exists exactly when the change does. */
export async function audit(manager: EntityManager, actor: Actor, record: AuditRecord): Promise<void> {
  await manager.query(
    `INSERT INTO audit_events (actor_type, actor_id, agency_id, action, entity_type, entity_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      actor.type,
      actor.id,
      record.agencyId === undefined ? actor.agencyId : record.agencyId,
      record.action,
      record.entityType,
      record.entityId,
      record.before === undefined ? null : JSON.stringify(record.before),
      record.after === undefined ? null : JSON.stringify(record.after),
    ],
  );
}
