import { Controller, Get, Inject, NotFoundException, Param, ParseIntPipe, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig, DevMailbox, TemplateRenderer } from '@sne/core';
import { DataSource } from 'typeorm';
import { Public } from '../common/principal';

/**
 * The dev mailbox: with no SMTP_URL, outgoing mail is kept in the database and read here,
 * so a newcomer can open the email and follow its acknowledgment link. Off when SMTP is set.
 */
@ApiExcludeController()
@Public()
@Controller('dev/mailbox')
export class MailboxController {
  private readonly mailbox: DevMailbox;

  constructor(
    db: DataSource,
    private readonly templates: TemplateRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.mailbox = new DevMailbox(db);
  }

  @Get()
  async list(@Res() res: Response) {
    this.assertEnabled();
    const mails = await this.mailbox.list(100);
    res.type('html').send(this.templates.render('pages/mailbox', { mails }));
  }

  @Get(':id')
  async show(@Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    this.assertEnabled();
    const mail = await this.mailbox.get(String(id));
    if (!mail) throw new NotFoundException('no such mail');
    // The HTML part is shown in a sandboxed frame: it is our own template, but treat it as content.
    // Its links open in the top window (the frame may navigate it only on a click), so the
    // acknowledgment page opens whole, styled, with a confirm button that works.
    res.type('html').send(this.templates.render('pages/mail', { mail: { ...mail, html: linksToTop(mail.html) } }));
  }

  private assertEnabled() {
    if (this.config.smtpUrl) throw new NotFoundException('the dev mailbox is off: mail goes to SMTP_URL');
    if (this.config.env === 'production') throw new NotFoundException('the dev mailbox is off in production');
  }
}

/** `<base target="_top">` at the start of the email's head: every link in it opens in the top window. */
export function linksToTop(html: string | null | undefined): string {
  const source = html ?? '';
  const base = '<base target="_top">';
  const head = /<head(\s[^>]*)?>/i.exec(source);
  return head ? `${source.slice(0, head.index + head[0].length)}${base}${source.slice(head.index + head[0].length)}` : `${base}${source}`;
}
