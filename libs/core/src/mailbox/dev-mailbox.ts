/**
 * Development mailbox: with no SMTP_URL configured, outgoing mail is kept in the `dev_mail`
 * table (created by migration) so it can be read back through the API instead of being lost.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DevMailInput {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface DevMailSummary {
  /** bigserial, as a string (int8 exceeds JavaScript's safe integers). */
  id: string;
  createdAt: Date;
  to: string;
  subject: string;
}

export interface DevMail extends DevMailSummary {
  html: string;
  text: string;
}

const MAX_LIST = 500;

@Injectable()
export class DevMailbox {
  constructor(private readonly dataSource: DataSource) {}

  async store(mail: DevMailInput): Promise<DevMailSummary> {
    const rows: Row[] = await this.dataSource.query(
      `INSERT INTO dev_mail (to_address, subject, html, text) VALUES ($1, $2, $3, $4)
       RETURNING id, created_at, to_address, subject`,
      [mail.to, mail.subject, mail.html, mail.text],
    );
    return summary(rows[0]);
  }

  /** Newest first, without the bodies. */
  async list(limit = 50): Promise<DevMailSummary[]> {
    const n = Math.min(Math.max(1, Math.trunc(Number(limit)) || 50), MAX_LIST);
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, created_at, to_address, subject FROM dev_mail ORDER BY id DESC LIMIT $1`,
      [n],
    );
    return rows.map(summary);
  }

  /** One message with its bodies; null when there is none with that id. */
  async get(id: string | number): Promise<DevMail | null> {
    const key = String(id);
    // Anything but digits can't be an id, and would make PostgreSQL raise a cast error.
    if (!/^\d{1,18}$/.test(key)) return null;
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, created_at, to_address, subject, html, text FROM dev_mail WHERE id = $1`,
      [key],
    );
    if (rows.length === 0) return null;
    return { ...summary(rows[0]), html: rows[0].html!, text: rows[0].text! };
  }
}

interface Row {
  id: string;
  created_at: Date;
  to_address: string;
  subject: string;
  html?: string;
  text?: string;
}

function summary(row: Row): DevMailSummary {
  return { id: String(row.id), createdAt: new Date(row.created_at), to: row.to_address, subject: row.subject };
}
