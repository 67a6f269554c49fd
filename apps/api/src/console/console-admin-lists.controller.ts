import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { JURISDICTION_TYPES } from '@sne/core';
import { CurrentPrincipal, Principal } from '../common/principal';
import { pageRequest, pagerView } from '../common/paging';
import { AgenciesService } from '../agencies/agencies.service';
import { CreateAgencyDto } from '../agencies/agencies.dto';
import { CreateTopicDto, TopicsService } from '../topics/topics.controller';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { listOf, shortDate, str } from './console-format';
import { errorList, refusal, validateAs } from './console-forms';

/**
 * The partnership admins' tables of member agencies and of the topic catalogue, each searched
 * and paged by the server (common/paging.ts), with the forms that add to them.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/admin')
export class ConsoleAdminListsController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly agencies: AgenciesService,
    private readonly topics: TopicsService,
  ) {}

  @Get('agencies')
  async agencyList(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'admin');
    await this.agenciesPage(p, req, res, {});
  }

  @Get('topics')
  async topicList(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'admin');
    await this.topicsPage(p, req, res, {});
  }

  @Post('agencies')
  async createAgency(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'admin');
    const form = {
      name: str(body.name),
      jurisdictionType: str(body.jurisdictionType),
      jurisdictionCode: str(body.jurisdictionCode),
      timeZone: str(body.timeZone).trim(),
      noticesContactEmail: str(body.noticesContactEmail).trim(),
      escalationContacts: str(body.escalationContacts),
      fallbackContacts: str(body.fallbackContacts),
    };
    const dto = {
      name: form.name.trim(),
      jurisdictionType: form.jurisdictionType,
      jurisdictionCode: form.jurisdictionCode.trim(),
      timeZone: form.timeZone,
      noticesContactEmail: form.noticesContactEmail,
      escalationContacts: listOf(form.escalationContacts),
      fallbackContacts: listOf(form.fallbackContacts),
    };
    const errors = await validateAs(CreateAgencyDto, dto, AGENCY_MESSAGES);
    if (!Object.keys(errors).length) {
      try {
        const agency = await this.agencies.create(p, dto as unknown as CreateAgencyDto);
        res.redirect(303, `/console/admin/agencies/${agency.id}?done=agency_created`);
        return;
      } catch (err) {
        const r = refusal(err);
        if (!r) throw err;
        errors.name = r.message;
      }
    }
    await this.agenciesPage(p, req, res, { agencyErrors: errors, agencyForm: form, errorList: errorList(errors, AGENCY_FIELD_IDS) }, 400);
  }

  @Post('topics')
  async createTopic(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'admin');
    const form = { key: str(body.key).trim(), title: str(body.title), description: str(body.description) };
    const dto: Record<string, unknown> = { key: form.key, title: form.title.trim() };
    if (form.description.trim()) dto.description = form.description.trim();
    const errors = await validateAs(CreateTopicDto, dto, {
      key: 'Enter a key of lowercase dotted words, like substance-exposure.fentanyl',
      title: 'Enter a title',
      description: 'The description can be at most 2000 characters',
    });
    if (!Object.keys(errors).length) {
      try {
        await this.topics.create(p, dto as unknown as CreateTopicDto);
        res.redirect(303, `/console/admin/topics/${encodeURIComponent(form.key)}?done=topic_created`);
        return;
      } catch (err) {
        const r = refusal(err);
        if (!r) throw err;
        errors.key = r.status === 409 ? 'This topic is already in the catalogue' : r.message;
      }
    }
    await this.topicsPage(p, req, res, { topicErrors: errors, topicForm: form, errorList: errorList(errors, { key: 'topic-key', title: 'topic-title', description: 'topic-description' }) }, 400);
  }

  private async agenciesPage(p: Principal, req: Request, res: Response, extra: Record<string, unknown>, status = 200) {
    const model = await this.pages.model(p, req, 'Member agencies', 'admin');
    const paged = await this.agencies.page(pageRequest(req.query));
    const agencies = paged.items.map((a) => ({ ...a, offboarded: a.offboardedAt ? shortDate(a.offboardedAt, model.user.timeZone) : null }));
    const pager = pagerView('/console/admin/agencies', req.query, paged, 'Pages of agencies');
    this.views.send(res, 'admin/agencies', { ...model, agencies, pager, jurisdictionTypes: JURISDICTION_TYPES, agencyForm: {}, agencyErrors: {}, ...extra }, status);
  }

  private async topicsPage(p: Principal, req: Request, res: Response, extra: Record<string, unknown>, status = 200) {
    const model = await this.pages.model(p, req, 'Topic catalogue', 'admin');
    const paged = await this.topics.page(pageRequest(req.query));
    const topics = paged.items.map((t) => ({ ...t, retired: !!t.retiredAt }));
    const pager = pagerView('/console/admin/topics', req.query, paged, 'Pages of topics');
    this.views.send(res, 'admin/topics', { ...model, topics, pager, topicForm: {}, topicErrors: {}, ...extra }, status);
  }
}

export const AGENCY_MESSAGES = {
  name: 'Enter the agency’s name (2 to 200 characters)',
  jurisdictionType: 'Choose the jurisdiction type',
  jurisdictionCode: 'Enter the FIPS code, or the tribal nation’s name',
  timeZone: 'Enter a time zone like America/Chicago',
  noticesContactEmail: 'Enter the email address that receives mandatory notices',
  escalationContacts: 'Enter email addresses, one per line, in escalation order',
  fallbackContacts: 'Enter email addresses, one per line',
};

export const AGENCY_FIELD_IDS = {
  name: 'agency-name',
  jurisdictionType: 'agency-type',
  jurisdictionCode: 'agency-code',
  timeZone: 'agency-tz',
  noticesContactEmail: 'agency-contact',
  escalationContacts: 'agency-escalation',
  fallbackContacts: 'agency-fallback',
};
