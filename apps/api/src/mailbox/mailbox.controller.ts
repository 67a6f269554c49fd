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
    res.type('html').send(this.templates.render('pages/mail', { mail }));
  }

  private assertEnabled() {
    if (this.config.smtpUrl) throw new NotFoundException('the dev mailbox is off: mail goes to SMTP_URL');
  }
}
