import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface NoticeContent {
  id: string;
  reference: string;
  title: string;
  summary: string;
  body: string;
  bodyHtml: string;
  category: string;
  severity: string;
  topics: string[];
  requiredActions: string[];
  targetJurisdictions: string[];
  acknowledgeBy: string | null;
  effectiveAt: string | null;
  expiresAt: string | null;
  publishedAt: string;
  issuingAgency: { id: string; name: string };
  actionsDueBy: string | null;
  /** Set on an update: the notice it supersedes. */
  supersedes: { id: string; reference: string } | null;
  material: boolean;
  changes: { field: string; before: string; after: string; lines?: string[] }[] | null;
  /** The files that went through the approval with the notice, in order. */
  attachments: { id: string; name: string; mediaType: string; sizeBytes: number; sha256: string }[];
}

const MAX_ENTRIES = 200;

/**
 * A published notice's content never changes, so a fan-out of 10,000 deliveries reads it once.
 * Only the content is cached, never its status.
 */
@Injectable()
export class NoticeContentCache {
  private readonly cache = new Map<string, Promise<NoticeContent>>();

  constructor(private readonly db: DataSource) {}

  get(id: string): Promise<NoticeContent> {
    let hit = this.cache.get(id);
    if (!hit) {
      hit = this.load(id);
      hit.catch(() => this.cache.delete(id));
      if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(id, hit);
    }
    return hit;
  }

  private async load(id: string): Promise<NoticeContent> {
    const [r] = await this.db.query(
      `SELECT n.*, g.name AS agency_name, o.reference AS supersedes_reference
         FROM notices n JOIN agencies g ON g.id = n.issuing_agency_id LEFT JOIN notices o ON o.id = n.supersedes_id
        WHERE n.id = $1`,
      [id],
    );
    if (!r) throw new Error(`notice ${id} not found`);
    const attachments = await this.db.query(
      `SELECT id, name, media_type AS "mediaType", size_bytes AS "sizeBytes", sha256 FROM notice_attachments WHERE notice_id = $1 ORDER BY created_at, id`,
      [id],
    );
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      id: r.id,
      reference: r.reference,
      title: r.title,
      summary: r.summary,
      body: r.body_markdown,
      bodyHtml: r.body_html,
      category: r.category,
      severity: r.severity,
      topics: r.topics,
      requiredActions: r.required_actions,
      targetJurisdictions: r.target_jurisdictions,
      acknowledgeBy: iso(r.acknowledge_by),
      effectiveAt: iso(r.effective_at),
      expiresAt: iso(r.expires_at),
      publishedAt: iso(r.published_at)!,
      issuingAgency: { id: r.issuing_agency_id, name: r.agency_name },
      actionsDueBy: iso(r.actions_due_by),
      supersedes: r.supersedes_id ? { id: r.supersedes_id, reference: r.supersedes_reference } : null,
      material: r.material,
      changes: r.changes,
      attachments,
    };
  }
}
