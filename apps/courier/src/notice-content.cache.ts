import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NOTICE_ATTACHMENTS_SQL, NOTICE_CONTENT_SQL, PublishedContent, publishedContentOf } from '@sne/core';

export type { PublishedContent } from '@sne/core';

const MAX_ENTRIES = 200;

/**
 * A published notice's content never changes, so a fan-out of 10,000 deliveries reads it once.
 * Only the content is cached, never its status.
 */
@Injectable()
export class NoticeContentCache {
  private readonly cache = new Map<string, Promise<PublishedContent>>();

  constructor(private readonly db: DataSource) {}

  get(id: string): Promise<PublishedContent> {
    let hit = this.cache.get(id);
    if (!hit) {
      hit = this.load(id);
      hit.catch(() => this.cache.delete(id));
      if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(id, hit);
    }
    return hit;
  }

  /** The content and its attachments side by side: the first send of a notice waits for both. */
  private async load(id: string): Promise<PublishedContent> {
    const [[r], attachments] = await Promise.all([this.db.query(NOTICE_CONTENT_SQL, [id]), this.db.query(NOTICE_ATTACHMENTS_SQL, [id])]);
    if (!r) throw new Error(`notice ${id} not found`);
    return publishedContentOf(r, attachments);
  }
}
