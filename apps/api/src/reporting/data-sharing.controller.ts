import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { DataSharingAgreementResponse, DataSharingHistory, RecordDataSharingDto } from './data-sharing.dto';
import { DataSharingService } from './data-sharing.service';

@ApiTags('reporting')
@ApiBearerAuth()
@Controller('api/v1/agencies')
export class DataSharingController {
  constructor(private readonly sharing: DataSharingService) {}

  @Post(':id/data-sharing')
  @ApiOperation({
    summary: "Record an agency's data-sharing agreement (or withdraw it with an empty covers)",
    description:
      "Agency admins for their own agency, partnership admins for any. A new row each time (the history stays); the latest is in force. Without an agreement in force covering 'incidents', the agency's reviews are out of every partnership aggregate.",
  })
  @ApiCreatedResponse({ type: DataSharingAgreementResponse })
  @ApiErrors(400, 401, 403, 404, ...BODY_ERRORS)
  record(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RecordDataSharingDto) {
    return this.sharing.record(p, id, dto);
  }

  @Get(':id/data-sharing')
  @ApiOperation({ summary: "An agency's data-sharing agreements, newest first, and whether it contributes to partnership aggregates now" })
  @ApiOkResponse({ type: DataSharingHistory })
  @ApiErrors(400, 401, 404)
  history(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.sharing.history(p, id);
  }
}
