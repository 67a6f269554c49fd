import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, DevMailbox, TemplateRenderer } from '@sne/core';
import { createEmailSender, EmailSender, OutgoingEmail } from '../../../courier/src/email.sender';

export type SurveyTemplate = 'survey-invitation' | 'survey-reminder';

/** How many messages are in flight at once: enough for a list of hundreds, gentle on the server. */
const PARALLEL = 4;

/**
 * Survey email goes STRAIGHT to the mail transport the courier uses (nodemailer with SMTP_URL; the
 * dev mailbox table when no SMTP is set, for development only), never through the outbox or the
 * deliveries tables: a queued row holding an address and its link would be the very
 * address-to-token mapping the survey design refuses to keep. The message exists only in this
 * process's memory until the server has it. Nothing about a message (address, link) is logged.
 */
@Injectable()
export class SurveyMailer implements OnModuleDestroy {
  private sender?: EmailSender;

  constructor(
    private readonly db: DataSource,
    private readonly templates: TemplateRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One message, rendered now (a template that fails stops the caller before anything is stored or sent). */
  compose(to: string, template: SurveyTemplate, data: { agencyName: string } & Record<string, unknown>): OutgoingEmail {
    // With the dev mailbox the promise that nobody can tie an address to its link is not true: the email says so.
    const model = { ...data, recipient: { email: to, agencyName: data.agencyName }, devMailbox: !this.config.smtpUrl };
    return {
      to,
      subject: this.templates.render(`email/${template}.subject`, model),
      html: this.templates.render(`email/${template}.html`, model),
      text: this.templates.render(`email/${template}.text`, model),
    };
  }

  /** Sends every message; answers how many the server accepted and the addresses it refused (for the caller only, never stored). */
  async sendAll(mails: OutgoingEmail[]): Promise<{ sent: number; failed: string[] }> {
    const sender = this.transport();
    let sent = 0;
    const failed: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < mails.length) {
        const mail = mails[next++];
        const result = await sender.send(mail);
        if (result.ok) sent++;
        else failed.push(mail.to);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, mails.length) }, worker));
    return { sent, failed };
  }

  async onModuleDestroy() {
    await this.sender?.close();
  }

  private transport(): EmailSender {
    this.sender ??= createEmailSender({ smtpUrl: this.config.smtpUrl, from: this.config.mailFrom, maxConnections: PARALLEL, production: this.config.env === 'production' }, new DevMailbox(this.db));
    return this.sender;
  }
}
