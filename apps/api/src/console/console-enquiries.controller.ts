import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal } from '../common/principal';
import { EnquiriesContactDto } from '../notices/dto/notice.dto';
import { NoticesService } from '../notices/notices.service';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { str } from './console-format';
import { errorList, refusal, validateAs } from './console-forms';

const MESSAGES = {
  name: 'Enter the name of the person recipients should ask (at most 200 characters)',
  email: 'Enter an email address like jordan.lee@agency.example',
  phone: 'Enter a phone number: digits, spaces and + ( ) . - only',
  role: 'The role can be at most 200 characters',
};

/**
 * The enquiries contact of a draft (issue 10, item 4): whom recipients ask about the notice.
 * It defaults to the author; the author changes it here, through the API's own edit (a new
 * version, a new content hash, audited).
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleEnquiriesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly notices: NoticesService,
  ) {}

  @Get('notices/:id/enquiries')
  async form(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'author');
    const notice = await this.notices.get(p, id);
    const e = notice.enquiries;
    return this.page(p, req, res, id, { values: { name: e?.name ?? '', role: e?.role ?? '', email: e?.email ?? '', phone: e?.phone ?? '' } });
  }

  @Post('notices/:id/enquiries')
  async save(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'author');
    const values = { name: str(body.name).trim(), role: str(body.role).trim(), email: str(body.email).trim(), phone: str(body.phone).trim() };
    const dto = { name: values.name, email: values.email, ...(values.role ? { role: values.role } : {}), ...(values.phone ? { phone: values.phone } : {}) };
    const errors = await validateAs(EnquiriesContactDto, dto, MESSAGES);
    if (Object.keys(errors).length) return this.page(p, req, res, id, { values, errors, errorList: errorList(errors) }, 400);
    try {
      await this.notices.update(p, id, { enquiries: dto });
    } catch (err) {
      const r = refusal(err);
      if (!r || r.status === 404) throw err;
      return this.page(p, req, res, id, { values, problem: r.message }, r.status);
    }
    res.redirect(303, `/console/notices/${id}?done=enquiries_saved`);
  }

  private async page(p: Principal, req: Request, res: Response, id: string, extra: Record<string, unknown>, status = 200) {
    const notice = await this.notices.get(p, id);
    const model = await this.pages.model(p, req, `Questions to: ${notice.title}`, 'notices', {
      notice,
      ...extra,
      hasErrors: !!(extra.errorList as unknown[] | undefined)?.length || !!extra.problem,
    });
    this.views.send(res, 'supervise/enquiries', model, status);
  }
}
