import { Body, Controller, ForbiddenException, Get, Injectable, NotFoundException, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsTimeZone, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Agency, audit, JURISDICTION_TYPES, JurisdictionType } from '@sne/core';
import { actorOf, CurrentPrincipal, hasRole, Principal } from '../common/principal';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { AgencyResponse } from './agency.responses';

export class CreateAgencyDto {
  @ApiProperty({ example: 'Ohio Department of Children and Youth' }) @IsString() @MinLength(2) @MaxLength(200) name: string;
  @ApiProperty({ enum: JURISDICTION_TYPES }) @IsIn(JURISDICTION_TYPES) jurisdictionType: JurisdictionType;
  @ApiProperty({ description: 'State or county FIPS code, or the tribal nation name', example: '39' })
  @IsString() @MinLength(1) @MaxLength(100) jurisdictionCode: string;
  @ApiProperty({ example: 'America/New_York' }) @IsTimeZone() timeZone: string;
  @ApiProperty({ description: 'Default notices contact: receives mandatory critical notices' }) @IsEmail() @MaxLength(254) noticesContactEmail: string;
  @ApiPropertyOptional({ type: [String], description: 'In escalation order' })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsEmail({}, { each: true }) escalationContacts?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Emailed when a webhook delivery fails' })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsEmail({}, { each: true }) fallbackContacts?: string[];
}

export class UpdateAgencyDto extends PartialType(CreateAgencyDto) {}

@Injectable()
export class AgenciesService {
  constructor(private readonly db: DataSource) {}

  async create(p: Principal, dto: CreateAgencyDto) {
    return this.db.transaction(async (m) => {
      const agency = m.create(Agency, { ...dto, escalationContacts: dto.escalationContacts ?? [], fallbackContacts: dto.fallbackContacts ?? [] });
      await m.save(agency);
      await audit(m, actorOf(p), { action: 'agency.created', entityType: 'agency', entityId: agency.id, agencyId: agency.id, after: dto });
      return agency;
    });
  }

  async update(p: Principal, id: string, dto: UpdateAgencyDto) {
    if (!hasRole(p, 'admin') && p.agencyId !== id) throw new NotFoundException('agency not found');
    return this.db.transaction(async (m) => {
      const agency = await m.findOne(Agency, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!agency) throw new NotFoundException('agency not found');
      const before = { ...agency };
      Object.assign(agency, dto);
      await m.save(agency);
      await audit(m, actorOf(p), { action: 'agency.updated', entityType: 'agency', entityId: id, agencyId: id, before, after: dto });
      return agency;
    });
  }

  /** Members see each other's names and jurisdictions; contacts only for their own agency (or partnership admins). */
  async list(p: Principal) {
    const rows = await this.db.getRepository(Agency).find({ order: { name: 'ASC' } });
    return rows.map((a) => (hasRole(p, 'admin') || a.id === p.agencyId ? a : publicView(a)));
  }

  async get(p: Principal, id: string) {
    const a = await this.db.getRepository(Agency).findOne({ where: { id } });
    if (!a) throw new NotFoundException('agency not found');
    return hasRole(p, 'admin') || a.id === p.agencyId ? a : publicView(a);
  }
}

function publicView(a: Agency) {
  return { id: a.id, name: a.name, jurisdictionType: a.jurisdictionType, jurisdictionCode: a.jurisdictionCode, timeZone: a.timeZone };
}

@ApiTags('agencies')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1/agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Post()
  @ApiOperation({ summary: 'Add a member agency (partnership admins)' })
  @ApiCreatedResponse({ type: AgencyResponse })
  @ApiErrors(403, ...BODY_ERRORS)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateAgencyDto) {
    return this.agencies.create(p, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Every member agency; contacts only for your own (all for partnership admins)' })
  @ApiOkResponse({ type: [AgencyResponse] })
  list(@CurrentPrincipal() p: Principal) {
    return this.agencies.list(p);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One agency; contacts only for your own (all for partnership admins)' })
  @ApiOkResponse({ type: AgencyResponse })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.agencies.get(p, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change an agency's details and contacts (its agency admins, or partnership admins); another agency answers 403" })
  @ApiOkResponse({ type: AgencyResponse })
  @ApiErrors(403, 404, ...BODY_ERRORS)
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateAgencyDto) {
    if (!hasRole(p, 'admin') && p.agencyId !== id) throw new ForbiddenException('you can only change your own agency');
    return this.agencies.update(p, id, dto);
  }
}
