import { ConflictException, Inject, Injectable, NotFoundException, PayloadTooLargeException, UnprocessableEntityException, UnsupportedMediaTypeException, BadRequestException, GoneException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  ACCEPT_EVERYTHING,
  APP_CONFIG,
  AppConfig,
  assertTransition,
  AttachmentLinkError,
  AttachmentStorage,
  attachmentStores,
  audit,
  cleanFileName,
  contentHash,
  formatFileSize,
  MalwareScanner,
  Notice,
  sha256Hex,
  signAttachmentLink,
  sniffMediaType,
  verifyAttachmentLink,
} from '@sne/core';
import { actorOf, Principal } from '../common/principal';
import { NoticesService } from '../notices/notices.service';
import { ATTACHMENT_COLUMNS as COLUMNS, attachmentDigests, AttachmentInfo, attachmentInfo as info, AttachmentRow, attachmentRows } from '../notices/notice-content';
import { contentOfNotice } from '../notices/notice-mapping';
import { recordVersion } from '../notices/review-records';

/** The malware-scan hook point (libs/core/src/attachments/malware-scanner.ts): accepts everything until a scanner is plugged in. */
@Injectable()
export class AttachmentScanning {
  private scanner: MalwareScanner = ACCEPT_EVERYTHING;

  use(scanner: MalwareScanner): void {
    this.scanner = scanner;
  }

  get current(): MalwareScanner {
    return this.scanner;
  }
}

/**
 * Attachments of notices. They are added to and removed from drafts only, by the issuing agency's
 * authors, and are part of the notice's content hash: each change bumps the version and voids
 * any earlier review. Readers reach them exactly as they reach the notice (404 otherwise).
 */
@Injectable()
export class AttachmentsService {
  private readonly stores;

  constructor(
    private readonly db: DataSource,
    private readonly notices: NoticesService,
    private readonly scanning: AttachmentScanning,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.stores = attachmentStores(config.attachments.dir);
  }

  async list(p: Principal, noticeId: string): Promise<AttachmentInfo[]> {
    await this.notices.findVisible(this.db.manager, p, noticeId);
    return (await attachmentRows(this.db.manager, noticeId)).map(info);
  }

  async add(p: Principal, noticeId: string, rawName: string, bytes: Buffer): Promise<AttachmentInfo> {
    const limits = this.config.attachments;
    const name = cleanFileName(rawName ?? '');
    if (!name) throw new BadRequestException('name must be the file name, like guidance.pdf');
    if (!bytes.length) throw new BadRequestException('the file is empty');
    if (bytes.length > limits.maxBytes) throw new PayloadTooLargeException(`the file is larger than the limit of ${formatFileSize(limits.maxBytes)}`);
    const mediaType = sniffMediaType(bytes);
    if (!mediaType || !limits.types.includes(mediaType)) {
      throw new UnsupportedMediaTypeException(
        `${mediaType ? `this file is ${mediaType}, which` : 'the type of this file could not be recognised from its content: it'} is not accepted (accepted: ${limits.types.join(', ')})`,
      );
    }
    const sha256 = sha256Hex(bytes);
    // Scanned before anything is stored: a refusal leaves no trace but the answer.
    const verdict = await this.scanning.current.scan({ name, mediaType, sha256, bytes });
    if (!verdict.clean) throw new UnprocessableEntityException(`the malware scan refused this file: ${verdict.reason}`);
    const store = this.stores[limits.store];
    let storedId: string | null = null;
    try {
      return await this.db.transaction(async (m) => {
        const notice = await this.lockDraft(m, p, noticeId);
        const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM notice_attachments WHERE notice_id = $1`, [noticeId]);
        if (n >= limits.perNotice) throw new ConflictException(`a notice can carry at most ${limits.perNotice} attachments`);
        const [row]: AttachmentRow[] = await m.query(
          `INSERT INTO notice_attachments AS a (notice_id, name, media_type, size_bytes, sha256, storage, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
          [noticeId, name, mediaType, bytes.length, sha256, store.kind, p.userId],
        );
        storedId = row.id;
        await store.put(m, row.id, bytes);
        await this.rehash(m, p, notice, 'notice.attachment_added', info(row));
        return info(row);
      });
    } catch (err) {
      if (storedId) await store.discard(storedId).catch(() => undefined);
      throw err;
    }
  }

  async remove(p: Principal, noticeId: string, attachmentId: string): Promise<void> {
    const removed = await this.db.transaction(async (m) => {
      const notice = await this.lockDraft(m, p, noticeId);
      const [[row]]: [AttachmentRow[], number] = await m.query(`DELETE FROM notice_attachments a WHERE a.id = $1 AND a.notice_id = $2 RETURNING ${COLUMNS}`, [attachmentId, noticeId]);
      if (!row) throw new NotFoundException('attachment not found');
      await this.rehash(m, p, notice, 'notice.attachment_removed', info(row));
      return row;
    });
    await this.stores[removed.storage].discard(removed.id).catch(() => undefined);
  }

  /** 404 unless the notice is a draft (409 otherwise) of the caller's agency: a form is checked against it before it is read. */
  async assertOwnDraft(p: Principal, noticeId: string): Promise<void> {
    await this.lockDraft(this.db.manager, p, noticeId, false);
  }

  /** One attachment and its bytes, for a caller who can see the notice. */
  async read(p: Principal, noticeId: string, attachmentId: string): Promise<{ info: AttachmentInfo; bytes: Buffer }> {
    await this.notices.findVisible(this.db.manager, p, noticeId);
    const [row]: AttachmentRow[] = await this.db.query(`SELECT ${COLUMNS} FROM notice_attachments a WHERE a.id = $1 AND a.notice_id = $2`, [attachmentId, noticeId]);
    if (!row) throw new NotFoundException('attachment not found');
    return this.withBytes(row);
  }

  /** One attachment by a signed emailed link: only of a notice that was published (never a draft's). */
  async readByLink(token: string): Promise<{ info: AttachmentInfo; bytes: Buffer }> {
    let id: string;
    try {
      id = verifyAttachmentLink(token, this.config.ackTokenSecret, Math.floor(Date.now() / 1000));
    } catch (err) {
      if (err instanceof AttachmentLinkError && err.reason === 'expired') throw new GoneException('this link has expired: open the notice in the console, or ask the issuing agency for the file');
      throw new NotFoundException('attachment not found');
    }
    const [row]: AttachmentRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM notice_attachments a JOIN notices n ON n.id = a.notice_id
        WHERE a.id = $1 AND n.status NOT IN ('draft', 'in_review')`,
      [id],
    );
    if (!row) throw new NotFoundException('attachment not found');
    return this.withBytes(row);
  }

  /** A link that opens one attachment without signing in, until it expires. */
  signedUrl(attachmentId: string, nowSec = Math.floor(Date.now() / 1000)): string {
    return `${this.config.publicUrl}/attachments/${signAttachmentLink(attachmentId, nowSec + this.config.attachments.linkTtlSeconds, this.config.ackTokenSecret)}`;
  }

  private async withBytes(row: AttachmentRow) {
    const bytes = await this.stores[row.storage].read(this.db.manager, row.id);
    if (!bytes) throw new NotFoundException('attachment not found');
    return { info: info(row), bytes };
  }

  private async lockDraft(m: EntityManager, p: Principal, noticeId: string, lock = true): Promise<Notice> {
    const notice = await m.findOne(Notice, { where: { id: noticeId, issuingAgencyId: p.agencyId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!notice) throw new NotFoundException('notice not found');
    assertTransition('edit', notice.status);
    return notice;
  }

  /** The attachments are content: a change bumps the version and the hash, like an edit. */
  private async rehash(m: EntityManager, p: Principal, notice: Notice, action: string, attachment: AttachmentInfo): Promise<void> {
    const before = { version: notice.version, contentHash: notice.contentHash };
    notice.contentHash = contentHash(contentOfNotice(notice), await attachmentDigests(m, notice.id));
    notice.version += 1;
    await m.save(notice);
    await recordVersion(m, notice, p.userId);
    const { name, mediaType, sizeBytes, sha256, id } = attachment;
    await audit(m, actorOf(p), {
      action,
      entityType: 'notice',
      entityId: notice.id,
      before,
      after: { version: notice.version, contentHash: notice.contentHash, attachment: { id, name, mediaType, sizeBytes, sha256 } },
    });
  }
}
