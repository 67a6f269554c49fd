import { BadRequestException, Body, Controller, HttpException, Inject, Param, ParseUUIDPipe, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig, formatFileSize } from '@sne/core';
import { CurrentPrincipal, Principal } from '../common/principal';
import { AttachmentsService } from '../attachments/attachments.service';
import { ConsoleExceptionFilter } from './console.filter';
import { requireRole } from './console-page';
import type { FilePart } from './console-body.module';

/** Fixed messages for a refused upload (`?attach=<code>`): never text taken from the URL. */
const PROBLEMS: Record<string, string> = {
  empty: 'Choose a file to attach.',
  type: 'That file is not a type the exchange accepts. The type is read from the file itself, not from its name.',
  size: 'That file is too large.',
  scan: 'The malware scan refused that file. It was not attached.',
  count: 'This notice already carries the most attachments allowed. Remove one first.',
  state: 'Attachments can be changed only while the notice is a draft.',
};

const NAMES: Record<string, string> = { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF', 'image/webp': 'WebP' };

/** What the notice page's attachment panel needs: the limits in words and the problem of the last upload, if any. */
export function uploadModel(config: AppConfig, req: Request) {
  const code = typeof req.query?.attach === 'string' ? req.query.attach : '';
  const types = config.attachments.types.map((t) => NAMES[t] ?? t);
  return {
    accept: config.attachments.types.join(','),
    limits: `${types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types.at(-1)}` : types[0]}, up to ${formatFileSize(config.attachments.maxBytes)} each, at most ${config.attachments.perNotice} per notice`,
    problem: PROBLEMS[code] ? (code === 'size' ? `${PROBLEMS.size} The limit is ${formatFileSize(config.attachments.maxBytes)}.` : PROBLEMS[code]) : undefined,
  };
}

/** Adding and removing a draft's attachments from the console: each POST answers with a redirect. */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/notices/:id/attachments')
export class ConsoleAttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  async add(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: { file?: FilePart }, @Res() res: Response) {
    requireRole(p, 'author');
    const file = body?.file;
    await this.refusedAs(res, id, async () => {
      await this.attachments.assertOwnDraft(p, id);
      if (!file?.data?.length || !file.filename) throw new BadRequestException('no file');
      await this.attachments.add(p, id, file.filename, file.data);
    }, 'attached');
  }

  @Post(':attachmentId/remove')
  async remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('attachmentId', ParseUUIDPipe) attachmentId: string, @Res() res: Response) {
    requireRole(p, 'author');
    await this.refusedAs(res, id, () => this.attachments.remove(p, id, attachmentId), 'attachment_removed');
  }

  /** Runs the change and redirects to the notice with a flash, or with the refusal's fixed message; 404s go to the filter. */
  private async refusedAs(res: Response, id: string, change: () => Promise<unknown>, done: string) {
    try {
      await change();
    } catch (err) {
      const status = err instanceof HttpException ? err.getStatus() : 0;
      const code = ({ 400: 'empty', 409: /most/.test(String((err as Error).message)) ? 'count' : 'state', 413: 'size', 415: 'type', 422: 'scan' } as Record<number, string>)[status];
      if (!code) throw err;
      return res.redirect(303, `/console/notices/${id}?attach=${code}#attachments`);
    }
    res.redirect(303, `/console/notices/${id}?done=${done}#attachments`);
  }
}
