import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Agency, JURISDICTION_TYPES } from '@sne/core';
import { hasRole, CurrentPrincipal, Principal } from '../common/principal';
import { AgenciesService } from '../agencies/agencies.service';
import { OffboardAgencyDto, UpdateAgencyDto } from '../agencies/agencies.dto';
import { TopicsService, UpdateTopicDto } from '../topics/topics.controller';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { listOf, shortDate, str } from './console-format';
import { errorList, validateAs } from './console-forms';
import { AGENCY_FIELD_IDS, AGENCY_MESSAGES } from './console-admin-lists.controller';

const CONTACT_MESSAGES = {
  noticesContactEmail: 'Enter the email address that receives mandatory notices, like notices@agency.gov',
  escalationContacts: 'Enter up to 10 email addresses, one per line, in escalation order',
  fallbackContacts: 'Enter up to 10 email addresses, one per line',
};
const CONTACT_IDS = { noticesContactEmail: 'agency-contact', escalationContacts: 'agency-escalation', fallbackContacts: 'agency-fallback' };

/**
 * An agency's page (its contacts for its own agency admins and for partnership admins; offboarding
 * and reinstating for partnership admins) and a topic's page (partnership admins). The forms go
 * through the API's services and DTOs, so they accept and refuse exactly what the API does.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/admin')
export class ConsoleAdminCatalogueController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly agencies: AgenciesService,
    private readonly topics: TopicsService,
  ) {}

  @Get('agencies/:id')
  async agency(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    await this.agencyPage(p, req, res, id, {});
  }

  /** Who the agency is (partnership admins) and its time zone (its own agency admins too). */
  @Post('agencies/:id')
  async saveDetails(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    await this.ownOrAdmin(p, id);
    const identity = hasRole(p, 'admin');
    const details = { name: str(body.name), jurisdictionType: str(body.jurisdictionType), jurisdictionCode: str(body.jurisdictionCode), timeZone: str(body.timeZone).trim() };
    // Partnership admins change the fields the form sent; the agency's own admins only its time zone.
    const sent = { name: details.name.trim(), jurisdictionType: details.jurisdictionType, jurisdictionCode: details.jurisdictionCode.trim() };
    const dto: Record<string, string> = { timeZone: details.timeZone };
    if (identity) for (const [k, v] of Object.entries(sent)) if (body[k] !== undefined) dto[k] = v;
    const errors = await validateAs(UpdateAgencyDto, dto, AGENCY_MESSAGES);
    if (!Object.keys(errors).length) {
      try {
        await this.agencies.update(p, id, dto);
        return res.redirect(303, `/console/admin/agencies/${id}?done=agency_saved`);
      } catch (err) {
        // The name is unique (the database says so: 23505); any other refusal is a page.
        if ((err as { code?: string }).code !== '23505') throw err;
        errors.name = 'Another agency has this name';
      }
    }
    await this.agencyPage(p, req, res, id, { errors, details, errorList: errorList(errors, AGENCY_FIELD_IDS) }, 400);
  }

  @Post('agencies/:id/contacts')
  async saveContacts(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'agency_admin', 'admin');
    await this.ownOrAdmin(p, id);
    const form = { noticesContactEmail: str(body.noticesContactEmail).trim(), escalationContacts: str(body.escalationContacts), fallbackContacts: str(body.fallbackContacts) };
    const dto = { noticesContactEmail: form.noticesContactEmail, escalationContacts: listOf(form.escalationContacts), fallbackContacts: listOf(form.fallbackContacts) };
    const errors = await validateAs(UpdateAgencyDto, dto, CONTACT_MESSAGES);
    if (!Object.keys(errors).length) {
      await this.agencies.update(p, id, dto);
      return res.redirect(303, `/console/admin/agencies/${id}?done=contacts_saved`);
    }
    await this.agencyPage(p, req, res, id, { errors, form, errorList: errorList(errors, CONTACT_IDS) }, 400);
  }

  @Post('agencies/:id/offboard')
  async offboard(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'admin');
    const reason = str(body.reason).trim();
    const errors = await validateAs(OffboardAgencyDto, { reason }, { reason: 'Say why the agency leaves, in 3 to 500 characters' });
    if (!Object.keys(errors).length) {
      await this.agencies.offboard(p, id, reason);
      return res.redirect(303, `/console/admin/agencies/${id}?done=agency_offboarded`);
    }
    await this.agencyPage(p, req, res, id, { errors, reason, errorList: errorList(errors, { reason: 'offboard-reason' }) }, 400);
  }

  @Post('agencies/:id/reinstate')
  async reinstate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    requireRole(p, 'admin');
    await this.agencies.reinstate(p, id);
    res.redirect(303, `/console/admin/agencies/${id}?done=agency_reinstated`);
  }

  @Get('topics/:key')
  async topic(@CurrentPrincipal() p: Principal, @Param('key') key: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'admin');
    await this.topicPage(p, req, res, key, {});
  }

  @Post('topics/:key')
  async saveTopic(@CurrentPrincipal() p: Principal, @Param('key') key: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'admin');
    const form = { title: str(body.title), description: str(body.description), retired: str(body.retired) === 'true' };
    const dto = { title: form.title.trim(), description: form.description.trim(), retired: form.retired };
    const errors = await validateAs(UpdateTopicDto, dto, { title: 'Enter a title of up to 200 characters', description: 'The description can be at most 2000 characters' });
    if (!Object.keys(errors).length) {
      await this.topics.update(p, key, dto);
      return res.redirect(303, `/console/admin/topics/${encodeURIComponent(key)}?done=topic_saved`);
    }
    await this.topicPage(p, req, res, key, { errors, form, errorList: errorList(errors, { title: 'topic-title', description: 'topic-description' }) }, 400);
  }

  /** Agency admins reach their own agency only; another agency looks like no agency at all. */
  private async ownOrAdmin(p: Principal, id: string): Promise<Agency> {
    if (!hasRole(p, 'admin') && id !== p.agencyId) throw new NotFoundException('agency not found');
    return (await this.agencies.get(p, id)) as Agency;
  }

  private async agencyPage(p: Principal, req: Request, res: Response, id: string, extra: Record<string, unknown>, status = 200) {
    const agency = await this.ownOrAdmin(p, id);
    const model = await this.pages.model(p, req, `Agency: ${agency.name}`, 'admin');
    const tz = model.user.timeZone;
    const form = extra.form ?? {
      noticesContactEmail: agency.noticesContactEmail,
      escalationContacts: agency.escalationContacts.join('\n'),
      fallbackContacts: agency.fallbackContacts.join('\n'),
    };
    const isAdmin = hasRole(p, 'admin');
    const details = extra.details ?? { name: agency.name, jurisdictionType: agency.jurisdictionType, jurisdictionCode: agency.jurisdictionCode, timeZone: agency.timeZone };
    this.views.send(
      res,
      'admin/agency',
      {
        ...model,
        agency: { ...agency, offboarded: agency.offboardedAt ? shortDate(agency.offboardedAt, tz) : null },
        isAdmin,
        own: id === p.agencyId,
        canOffboard: isAdmin && id !== p.agencyId,
        jurisdictionTypes: JURISDICTION_TYPES,
        errors: {},
        ...extra,
        form,
        details,
      },
      status,
    );
  }

  private async topicPage(p: Principal, req: Request, res: Response, key: string, extra: Record<string, unknown>, status = 200) {
    const topic = await this.topics.get(key);
    const model = await this.pages.model(p, req, `Topic: ${topic.key}`, 'admin');
    const form = extra.form ?? { title: topic.title, description: topic.description, retired: !!topic.retiredAt };
    this.views.send(res, 'admin/topic', { ...model, topic: { ...topic, retired: topic.retiredAt ? shortDate(topic.retiredAt, model.user.timeZone) : null }, errors: {}, ...extra, form }, status);
  }
}

