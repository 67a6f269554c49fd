import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig, CATEGORIES, JURISDICTION_TYPES, renderMarkdown, SEVERITIES } from '@sne/core';
import { CurrentPrincipal, Principal } from '../common/principal';
import { CreateNoticeDto, DraftUpdateDto, ListNoticesQuery, NoticeResponse, UpdateNoticeDto } from '../notices/dto/notice.dto';
import { NoticesService } from '../notices/notices.service';
import { TopicsService } from '../topics/topics.controller';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { duration, linesOf, str } from './console-format';
import { errorList, FieldErrors, refusal, validateAs } from './console-forms';
import { Finding, findingsOf, placeFindings, reviewedFindings } from './console-findings';
import { blankValues, CATEGORY_HINTS, EditorValues, FIELD_IDS, fieldOfMessage, formValues, MESSAGES, Mode, toDto, valuesOf } from './console-notice-form';

/**
 * The draft editor: a new notice, a draft's edits and an update to a published notice, with
 * the de-identification findings in place. Registered before ConsoleNoticesController, so
 * `/console/notices/new` is not read as a notice id.
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console')
export class ConsoleNoticeEditorController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly notices: NoticesService,
    private readonly topics: TopicsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('notices/new')
  async newNotice(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'author');
    await this.editor(p, req, res, 'create', null, blankValues(), {});
  }

  @Post('notices')
  async create(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'author');
    await this.saveFromEditor(p, req, res, 'create', null, body);
  }

  /** The script's live preview: Markdown in, sanitised HTML out (the same renderer as the emails). */
  @Post('notices/preview')
  @HttpCode(200)
  preview(@Body() body: Record<string, unknown>, @Res() res: Response) {
    res.type('html').setHeader('Cache-Control', 'no-store');
    res.send(renderMarkdown(str(body.body).replace(/\r\n?/g, '\n').slice(0, 50000)));
  }

  @Get('notices/:id/edit')
  async edit(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'author');
    const notice = await this.notices.get(p, id);
    if (notice.status !== 'draft' || notice.issuingAgencyId !== p.agencyId) {
      res.redirect(303, `/console/notices/${id}`);
      return;
    }
    const tz = (await this.pages.user(p)).timeZone;
    const findings = (await reviewedFindings(this.notices, p, notice)).filter((f) => !f.override);
    await this.editor(p, req, res, 'edit', notice, valuesOf(notice, tz), {}, { findings });
  }

  @Post('notices/:id/edit')
  async update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'author');
    const notice = await this.notices.get(p, id);
    await this.saveFromEditor(p, req, res, 'edit', notice, body);
  }

  @Get('notices/:id/update')
  async newUpdate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'author');
    const notice = await this.notices.get(p, id);
    const tz = (await this.pages.user(p)).timeZone;
    await this.editor(p, req, res, 'update', notice, { ...valuesOf(notice, tz), material: true }, {});
  }

  @Post('notices/:id/update')
  async draftUpdate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'author');
    const notice = await this.notices.get(p, id);
    await this.saveFromEditor(p, req, res, 'update', notice, body);
  }

  private async saveFromEditor(p: Principal, req: Request, res: Response, mode: Mode, notice: NoticeResponse | null, body: Record<string, unknown>) {
    const tz = (await this.pages.user(p)).timeZone;
    const values = formValues(body);
    const intent = str(body.intent) || 'save';
    if (intent === 'preview') return this.editor(p, req, res, mode, notice, values, {}, { preview: true });
    const { dto, errors } = toDto(values, tz, mode);
    const cls = mode === 'create' ? CreateNoticeDto : mode === 'edit' ? UpdateNoticeDto : DraftUpdateDto;
    Object.assign(errors, await validateAs(cls, dto, MESSAGES), errors);
    if (Object.keys(errors).length) return this.editor(p, req, res, mode, notice, values, errors, { status: 400 });
    let saved: NoticeResponse;
    try {
      if (mode === 'create') saved = await this.notices.create(p, dto as unknown as CreateNoticeDto);
      else if (mode === 'edit') saved = await this.notices.update(p, notice!.id, dto as UpdateNoticeDto);
      else saved = await this.notices.draftUpdate(p, notice!.id, dto as unknown as DraftUpdateDto);
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      return this.editor(p, req, res, mode, notice, values, fieldOfMessage(r.message), { status: r.status });
    }
    if (intent !== 'submit') {
      res.redirect(303, `/console/notices/${saved.id}?done=${mode === 'create' ? 'created' : mode === 'edit' ? 'saved' : 'update_drafted'}`);
      return;
    }
    try {
      await this.notices.submit(p, saved.id);
    } catch (err) {
      const r = refusal(err);
      if (!r) throw err;
      const findings = findingsOf(r.body);
      // Saved, not submitted: edit the saved draft from here on, with the findings in place.
      return this.editor(p, req, res, 'edit', saved, values, findings.length ? {} : { form: r.message }, {
        status: r.status,
        findings,
        problem: findings.length ? r.message : undefined,
        savedNotSubmitted: true,
      });
    }
    res.redirect(303, `/console/notices/${saved.id}?done=submitted`);
  }

  private async editor(
    p: Principal,
    req: Request,
    res: Response,
    mode: Mode,
    notice: NoticeResponse | null,
    values: EditorValues,
    errors: FieldErrors,
    opts: { status?: number; preview?: boolean; findings?: Finding[]; problem?: string; savedNotSubmitted?: boolean } = {},
  ) {
    const user = await this.pages.user(p);
    const title = mode === 'create' ? 'New notice' : mode === 'edit' ? `Edit draft: ${notice!.title}` : `Draft an update to ${notice!.reference ?? notice!.title}`;
    const model = await this.pages.model(p, req, title, mode === 'create' ? 'new' : 'notices');
    const topics = await this.topics.list();
    const published = (await this.notices.list(p, { status: 'published', limit: 100 } as ListNoticesQuery)).items.filter((n) => n.id !== notice?.id);
    const placed = placeFindings(opts.findings ?? [], {
      title: values.title,
      summary: values.summary,
      body: values.body,
      requiredActions: linesOf(values.requiredActions),
      incidentReference: values.incidentReference,
    });
    const findingsByField = Object.fromEntries(placed.fields.map((f) => [f.field, f]));
    const action = mode === 'create' ? '/console/notices' : mode === 'edit' ? `/console/notices/${notice!.id}/edit` : `/console/notices/${notice!.id}/update`;
    const formError = errors.form;
    delete errors.form;
    this.views.send(
      res,
      'notices/editor',
      {
        ...model,
        mode,
        isCreate: mode === 'create',
        isUpdate: mode === 'update',
        notice,
        action,
        values,
        errors,
        formError,
        errorList: errorList(errors, FIELD_IDS),
        hasErrors: Object.keys(errors).length > 0 || !!formError,
        preview: opts.preview ? renderMarkdown(values.body) : null,
        findings: placed.list,
        findingsByField,
        problem: opts.problem,
        savedNotSubmitted: opts.savedNotSubmitted,
        timeZone: user.timeZone,
        categories: CATEGORIES.map((c) => ({ value: c, hint: CATEGORY_HINTS[c], checked: values.category === c })),
        severities: SEVERITIES.map((s) => ({
          value: s,
          checked: values.severity === s,
          hint: `acknowledge within ${duration(this.config.ackDueMs[s] / 1000)}, act within ${duration(this.config.actionsDueMs[s] / 1000)} unless you set times below`,
        })),
        // A retired topic is offered only where the notice already carries it.
        topicOptions: topics.filter((t) => !t.retiredAt || values.topics.includes(t.key)).map((t, i) => ({ ...t, i, retired: !!t.retiredAt, checked: values.topics.includes(t.key) })),
        typeOptions: JURISDICTION_TYPES.map((t) => ({ value: t, checked: values.targetTypes.includes(t) })),
        referenceOptions: published.map((n) => ({ id: n.id, label: `${n.reference} ${n.title}`, checked: values.referenceIds.includes(n.id) })),
        moreOpen: !!(values.effectiveAt || values.expiresAt || values.referenceIds.length || values.incidentReference || errors.effectiveAt || errors.expiresAt),
      },
      opts.status ?? 200,
    );
  }

  // ---------------------------------------------------------------- one notice

}
