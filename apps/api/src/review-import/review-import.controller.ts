import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, ApiTextResponse } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { templateCsv } from './import-format';
import { RefusedBody } from '../common/limited-body';
import { ImportQuery, ImportReportResponse } from './review-import.responses';
import { ReviewImportService } from './review-import.service';

@ApiTags('reviews')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1/reviews/import')
export class ReviewImportController {
  constructor(private readonly imports: ReviewImportService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "Import historical reviews from CSV (the body is the file): your agency's, as approved reviews",
    description:
      'One row per review (the format: README, "Importing historical reviews", and GET /api/v1/reviews/import/template). Every row is checked against the code lists ' +
      'and the instrument (every item rated) and by the de-identification guard. All or nothing: when any row is invalid or a conflict, nothing is written ' +
      '(outcome "refused") and the report names each such row by line and external id with every reason. Idempotent by external id. ' +
      '`?dryRun=true` checks and reports without writing. 400: the file cannot be read as CSV or its header is not the format.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: ImportReportResponse })
  @ApiErrors(403, [413, 'The file is larger than the limit (8 MB)'], [415, 'The body is not sent as text/csv (UTF-8)'], 429)
  async import(@CurrentPrincipal() p: Principal, @Query() q: ImportQuery, @Body() body: unknown): Promise<ImportReportResponse> {
    if (body instanceof RefusedBody) throw body.error;
    return this.imports.import(p, Buffer.isBuffer(body) ? body : Buffer.alloc(0), q.dryRun === true);
  }

  @Get('template')
  @ApiOperation({ summary: 'The import file template: every column of the current instrument, and one example row' })
  @ApiTextResponse('text/csv', 'The template, UTF-8 CSV with a header row and an example row')
  template(@Res() res: Response) {
    res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="review-import-template.csv"');
    res.send(templateCsv());
  }
}
