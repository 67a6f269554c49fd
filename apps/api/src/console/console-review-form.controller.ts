import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { checkReviewRecord, DeidFinding } from '@sne/core';
import { CurrentPrincipal, Principal } from '../common/principal';
import { CreateReviewDto, UpdateReviewDto } from '../reviews/review.dto';
import { editableRecord, ReviewsService } from '../reviews/reviews.service';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsolePages, requireRole } from './console-page';
import { ConsoleViews } from './console.views';
import { errorList, refusal } from './console-forms';
import { emptyValues, errorsOf, formView, guardFindings, parseReviewForm, ReviewFormValues, valuesOf } from './console-review-form';
import { FieldErrors } from './console-forms';

/**
 * One form for a new review and for editing a draft: the coded incident as selects and
 * checkboxes from the code lists, the instrument's items by domain as 0–3 radio groups with each
 * anchor's definition, findings and recommendations as rows. It writes through the API's service
 * (the same checks, the same guard); problems are shown beside their fields (400), the guard's
 * findings above the form (422).
 */
@ApiExcludeController()
@UseFilters(ConsoleExceptionFilter)
@Controller('console/reviews')
export class ConsoleReviewFormController {
  constructor(
    private readonly db: DataSource,
    private readonly views: ConsoleViews,
    private readonly pages: ConsolePages,
    private readonly reviews: ReviewsService,
  ) {}

  @Get('new')
  async newForm(@CurrentPrincipal() p: Principal, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'reviewer', 'review_lead');
    await this.form(p, req, res, null, emptyValues(), {});
  }

  @Post()
  async create(@CurrentPrincipal() p: Principal, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'reviewer', 'review_lead');
    const { values, input, tooLong } = parseReviewForm(body);
    const problems = [...tooLong, ...checkReviewRecord(input)];
    if (problems.length) return this.form(p, req, res, null, values, errorsOf(problems), 400);
    try {
      const review = await this.reviews.create(p, { ...input, ...(values.leadId ? { leadId: values.leadId } : {}) } as CreateReviewDto);
      res.redirect(303, `/console/reviews/${review.id}?done=review_created`);
    } catch (err) {
      return this.refused(err, p, req, res, null, values);
    }
  }

  @Get(':id/edit')
  async editForm(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'reviewer', 'review_lead');
    const { review, record } = await editableRecord(this.db, p, id);
    await this.form(p, req, res, review, valuesOf(record, review.leadId), {});
  }

  @Post(':id/edit')
  async save(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    requireRole(p, 'reviewer', 'review_lead');
    const { review } = await editableRecord(this.db, p, id);
    const { values, input, tooLong } = parseReviewForm(body, review.instrumentVersion);
    const problems = [...tooLong, ...checkReviewRecord(input)];
    if (problems.length) return this.form(p, req, res, review, values, errorsOf(problems), 400);
    const dto: UpdateReviewDto = {
      incident: input.incident as UpdateReviewDto['incident'],
      summary: input.summary,
      ratings: input.ratings,
      findings: input.findings,
      recommendations: input.recommendations as UpdateReviewDto['recommendations'],
      leadId: values.leadId || null,
    };
    try {
      await this.reviews.update(p, id, dto);
      res.redirect(303, `/console/reviews/${id}?done=review_saved`);
    } catch (err) {
      return this.refused(err, p, req, res, review, values);
    }
  }

  private async refused(err: unknown, p: Principal, req: Request, res: Response, review: { id: string; reference: string } | null, values: ReviewFormValues) {
    const r = refusal(err);
    if (!r || r.status === 404) throw err;
    const problems = Array.isArray(r.body.problems) ? (r.body.problems as { field: string; message: string }[]) : [];
    if (problems.length) return this.form(p, req, res, review, values, errorsOf(problems), r.status);
    const findings = Array.isArray(r.body.findings) ? guardFindings(r.body.findings as DeidFinding[]) : [];
    return this.form(p, req, res, review, values, {}, r.status, findings.length ? undefined : r.message, findings);
  }

  private async form(
    p: Principal,
    req: Request,
    res: Response,
    review: { id: string; reference: string } | null,
    values: ReviewFormValues,
    errors: FieldErrors,
    status = 200,
    problem?: string,
    findings: ReturnType<typeof guardFindings> = [],
  ) {
    const leads: { id: string; name: string }[] = await this.db.query(
      `SELECT id, name FROM users WHERE agency_id = $1 AND 'review_lead' = ANY(roles) AND disabled_at IS NULL ORDER BY name, id`,
      [p.agencyId],
    );
    const agencies: { id: string; name: string }[] = await this.db.query(`SELECT id, name FROM agencies WHERE offboarded_at IS NULL ORDER BY name, id`);
    const model = await this.pages.model(p, req, review ? `Edit review ${review.reference}` : 'New critical incident review', 'reviews', {
      review,
      action: review ? `/console/reviews/${review.id}/edit` : '/console/reviews',
      ...formView(values, errors, { leads, agencies }),
      isLead: p.roles.includes('review_lead'),
      errorList: errorList(errors),
      problem,
      guardFindings: findings,
      hasErrors: Object.keys(errors).length > 0 || !!problem || findings.length > 0,
    });
    this.views.send(res, 'reviews/form', model, status);
  }
}
