import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors, ApiReportResponse } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { DataDictionary, dataDictionary } from './dictionary';
import { agencyTable, partnershipTable, sendTable } from './reporting-export';
import { AgencyExportQuery, AgencyReport, PartnershipExportQuery, PartnershipReport, ReportingExport, ReportingQuery } from './reporting.dto';
import { ReportingService } from './reporting.service';

const SUPPRESSION =
  'Counts of 1 to k−1 are suppressed (null), with complements so that no margin, total or share gives them back (k = SUPPRESSION_MIN_CELL). Each quarter is suppressed on its own; a figure over several quarters is null when any quarter\'s part is, so no two periods give one back.';

@ApiTags('reporting')
@ApiBearerAuth()
@Controller('api/v1/reporting')
export class ReportingController {
  constructor(private readonly reporting: ReportingService) {}

  @Get('partnership')
  @ApiOperation({
    summary: "The partnership dashboard: incidents by type × quarter × jurisdiction type, the systemic-factor heat map, the most frequent contributing items, recommendations, trends",
    description: `Analysts and partnership admins. Approved reviews of agencies with a data-sharing agreement in force only. ${SUPPRESSION}`,
  })
  @ApiOkResponse({ type: PartnershipReport })
  @ApiErrors(400, 401, 403)
  partnership(@CurrentPrincipal() p: Principal, @Query() q: ReportingQuery) {
    return this.reporting.partnership(p, q);
  }

  @Get('partnership/export')
  @ApiOperation({ summary: 'One table of the partnership dashboard as CSV or JSON', description: `A suppressed figure is null in JSON and "suppressed" in CSV. ${SUPPRESSION}` })
  @ApiReportResponse(ReportingExport)
  @ApiErrors(400, 401, 403)
  async partnershipExport(@CurrentPrincipal() p: Principal, @Query() q: PartnershipExportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.reporting.partnership(p, q);
    return sendTable(req, res, q.format, { table: q.table, k: report.k, quarters: report.quarters, filename: `partnership-${q.table}` }, partnershipTable(report, q.table));
  }

  @Get('agency')
  @ApiOperation({
    summary: "Your agency's own figures beside the partnership's",
    description: `Any member, for its own agency: its own approved reviews in full (they are its own data, shared or not), and the partnership column as every member sees it. ${SUPPRESSION}`,
  })
  @ApiOkResponse({ type: AgencyReport })
  @ApiErrors(400, 401)
  agency(@CurrentPrincipal() p: Principal, @Query() q: ReportingQuery) {
    return this.reporting.agency(p, q);
  }

  @Get('agency/export')
  @ApiOperation({ summary: "One table of your agency's view as CSV or JSON", description: 'The partnership column: null in JSON and "suppressed" in CSV where suppressed.' })
  @ApiReportResponse(ReportingExport)
  @ApiErrors(400, 401)
  async agencyExport(@CurrentPrincipal() p: Principal, @Query() q: AgencyExportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.reporting.agency(p, q);
    return sendTable(req, res, q.format, { table: q.table, k: report.k, quarters: report.quarters, filename: `agency-${q.table}` }, agencyTable(report, q.table));
  }

  @Get('dictionary')
  @ApiOperation({ summary: 'The data dictionary: the instrument versions and their items, how each maps to the baseline, the code lists and the reporting rules' })
  @ApiOkResponse({ type: DataDictionary })
  @ApiErrors(400, 401)
  dictionary() {
    return dataDictionary(this.reporting.k);
  }
}
