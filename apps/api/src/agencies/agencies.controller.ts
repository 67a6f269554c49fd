import { Body, Controller, ForbiddenException, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { ApiListOk, withTotal } from '../common/paging';
import { CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { AgencyResponse, CreateAgencyDto, ListAgenciesQuery, OffboardAgencyDto, UpdateAgencyDto } from './agencies.dto';
import { AgenciesService } from './agencies.service';

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('api/v1/agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Post()
  @ApiCreatedResponse({ type: AgencyResponse })
  @ApiErrors(400, 401, 403, [409, 'An agency of that name exists'], ...BODY_ERRORS)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateAgencyDto) {
    return this.agencies.create(p, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The member agencies by name (offboarded ones only for partnership admins who ask); q searches name and jurisdiction code' })
  @ApiListOk(AgencyResponse)
  @ApiErrors(400, 401)
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListAgenciesQuery, @Res({ passthrough: true }) res: Response) {
    return withTotal(res, await this.agencies.search(p, q));
  }

  @Get(':id')
  @ApiOkResponse({ type: AgencyResponse })
  @ApiErrors(400, 401, 404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.agencies.get(p, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change an agency: agency admins their own agency's time zone and contacts; partnership admins anything" })
  @ApiOkResponse({ type: AgencyResponse })
  @ApiErrors(400, 401, [403, "The caller lacks the role, names another agency, or would change an agency's name or jurisdiction without being a partnership admin"], 404, ...BODY_ERRORS)
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateAgencyDto) {
    if (!hasRole(p, 'admin') && p.agencyId !== id) throw new ForbiddenException('you can only change your own agency');
    return this.agencies.update(p, id, dto);
  }

  @Post(':id/offboard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Offboard an agency: its people and keys stop working, it leaves the directory and reports; its records stay' })
  @ApiOkResponse({ type: AgencyResponse })
  @ApiErrors(400, 401, [403, "The caller lacks the role, or names its own agency"], 404, [409, 'The agency is already offboarded'], ...BODY_ERRORS)
  offboard(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: OffboardAgencyDto) {
    return this.agencies.offboard(p, id, dto.reason);
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reinstate an offboarded agency: its people sign in again and its unrevoked keys work again' })
  @ApiOkResponse({ type: AgencyResponse })
  @ApiErrors(400, 401, 403, 404, [409, 'The agency is not offboarded'], ...BODY_ERRORS)
  reinstate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.agencies.reinstate(p, id);
  }
}
