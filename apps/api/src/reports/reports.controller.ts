import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiReportResponse } from '../common/api-docs';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal } from '../common/principal';
import { sendReport } from './report-format';
import {
  AgencyNoticesQuery,
  AgencyNoticesReport,
  NoticeReport,
  OverdueQuery,
  OverdueReport,
  ReportFormatQuery,
  ResponseTimesQuery,
  ResponseTimesReport,
} from './reports.dto';
import { ReportsService } from './reports.service';
import { overdueRecords } from './overdue-records';
import { OverdueRecordsPage, OverdueRecordsQuery } from './overdue-records.dto';
import { DataSource } from 'typeorm';

/** CSV columns: the dotted paths of each report's rows (see sendReport). */
const AGENCY = ['agency.id', 'agency.name', 'agency.jurisdictionType', 'agency.jurisdictionCode', 'agency.timeZone', 'agency.offboarded'];
/** Who acknowledged (name, address, channel) and how far the notice got to the agency. */
const REACH_COLUMNS = ['acknowledgedBy.name', 'acknowledgedBy.email', 'acknowledgedBy.channel', 'reach', 'held'];
const TIMING = (p: string) => [`${p}.count`, `${p}.medianSeconds`, `${p}.p90Seconds`];

export const NOTICE_REPORT_COLUMNS = [
  ...AGENCY,
  'acknowledgmentId', 'status', 'overdue', 'dueAt', 'dueAtLocal', 'acknowledgedAt', 'acknowledgedAtLocal', 'late', 'lateSeconds',
  'secondsToAcknowledge', 'actionsStatus', 'actionsDueAt', 'actionsDueAtLocal', 'actionsCompletedAt', 'actionsLate', 'closedAt',
  ...REACH_COLUMNS,
];
export const AGENCY_NOTICES_COLUMNS = [
  'noticeId', 'reference', 'title', 'severity', 'category', 'noticeStatus', 'publishedAt', 'acknowledgmentId', 'status', 'overdue',
  'dueAt', 'dueAtLocal', 'acknowledgedAt', 'late', 'lateSeconds', 'actionsStatus', 'actionsDueAt', 'actionsDueAtLocal',
  'actionsCompletedAt', 'actionsLate', ...REACH_COLUMNS,
];
export const OVERDUE_COLUMNS = [
  ...AGENCY, 'overdueNotices', 'overdueAcknowledgments', 'overdueActions', 'oldestDueAt', 'oldestDueAtLocal', 'references',
];
const RESPONSE_FIGURES = ['received', 'acknowledged', 'late', 'overdue', ...TIMING('timeToAcknowledge'), ...TIMING('timeToCompleteActions'), 'actionsLate'];
export const RESPONSE_TIMES_COLUMNS = {
  agency: [...AGENCY.filter((c) => c !== 'agency.timeZone'), ...RESPONSE_FIGURES],
  jurisdictionType: ['jurisdictionType', 'agencies', ...RESPONSE_FIGURES],
};

@ApiTags('reports')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly db: DataSource,
  ) {}

  @Get('notices/:id/report')
  @ApiOperation({
    summary: 'One notice: counts by acknowledgment state, the agency × state matrix, median and p90 time to acknowledge',
    description:
      "The issuing agency and partnership admins see every recipient; any other member sees its own agency's row, " +
      'and the counts and times over that row only. CSV (`?format=csv` or `Accept: text/csv`) carries the rows.',
  })
  @ApiReportResponse(NoticeReport)
  @ApiErrors(404)
  async noticeReport(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ReportFormatQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const report = await this.reports.noticeReport(p, id);
    return sendReport(req, res, q.format, report, { paths: NOTICE_REPORT_COLUMNS, filename: `notice-${report.reference ?? id}` });
  }

  @Get('agencies/:id/notices')
  @ApiOperation({
    summary: 'Every notice an agency received, with the state of its record, due times and lateness',
    description: 'The agency itself (any role) or a partnership admin; any other caller gets 404.',
  })
  @ApiReportResponse(AgencyNoticesReport)
  @ApiErrors(404)
  async agencyNotices(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: AgencyNoticesQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const report = await this.reports.agencyNotices(p, id, q);
    return sendReport(req, res, q.format, report, { paths: AGENCY_NOTICES_COLUMNS, filename: `agency-notices-${id}` });
  }

  @Get('reports/overdue')
  @ApiOperation({
    summary: 'Compliance list: agencies with overdue acknowledgments or actions, longest overdue first',
    description: "Partnership admins see every agency (offboarded ones only with includeOffboarded=true); a supervisor sees only their own agency's line.",
  })
  @ApiReportResponse(OverdueReport)
  @ApiErrors(403)
  async overdue(@CurrentPrincipal() p: Principal, @Query() q: OverdueQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.reports.overdue(p, q);
    return sendReport(req, res, q.format, report, { paths: OVERDUE_COLUMNS, filename: 'overdue' });
  }

  @Get('reports/overdue-records')
  @ApiOperation({
    summary: 'Every overdue record on the notices your agency issued, one page at a time, longest overdue first',
    description:
      'One row per recipient agency and notice: pending past the acknowledgment due time, or acknowledged with its required actions past their due time. ' +
      'Supervisors: notices their own agency issued; partnership admins: every notice (offboarded agencies only with includeOffboarded=true). `total` counts them all.',
  })
  @ApiOkResponse({ type: OverdueRecordsPage })
  @ApiErrors(403)
  async overdueRecords(@CurrentPrincipal() p: Principal, @Query() q: OverdueRecordsQuery): Promise<OverdueRecordsPage> {
    return overdueRecords(this.db, p, { limit: q.limit ?? 50, offset: q.offset ?? 0, includeOffboarded: q.includeOffboarded });
  }

  @Get('reports/response-times')
  @ApiOperation({
    summary: "The partnership's benchmark: response times per agency or jurisdiction type for notices published in [from, to)",
    description: 'Aggregated figures only. from < to, at most 2 years apart (400 otherwise). Offboarded agencies only for partnership admins with includeOffboarded=true.',
  })
  @ApiReportResponse(ResponseTimesReport)
  @ApiErrors(403)
  async responseTimes(@CurrentPrincipal() p: Principal, @Query() q: ResponseTimesQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.reports.responseTimes(p, q);
    return sendReport(req, res, q.format, report, {
      paths: RESPONSE_TIMES_COLUMNS[report.groupBy],
      filename: `response-times-${report.groupBy}`,
    });
  }
}
