import { Body, Controller, Get, Injectable, NotFoundException, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { audit, Topic } from '@sne/core';
import { actorOf, CurrentPrincipal, Principal } from '../common/principal';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { ApiListOk, ListQuery, listOf, pageOf, PageRequest, withTotal } from '../common/paging';
import { TopicResponse } from './topic.responses';
import { OneLine } from '../common/validators';

export class CreateTopicDto {
  @ApiProperty({ example: 'substance-exposure.fentanyl' })
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/, { message: 'key must be lowercase dotted words like substance-exposure.fentanyl' })
  @MaxLength(200)
  key: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) @OneLine() title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
}

/** The key never changes: subscriptions and notices match on it. */
export class UpdateTopicDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) @OneLine() title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ description: 'true: new notices can no longer use the topic (subscriptions keep matching it); false: usable again' })
  @IsOptional() @IsBoolean() retired?: boolean;
}

@Injectable()
export class TopicsService {
  constructor(private readonly db: DataSource) {}

  async list() {
    return (await this.search({})).items;
  }

  /** The catalogue by key, retired topics too, searched by key, title or description; `total` counts every match. */
  search(q: ListQuery) {
    return listOf(this.db.getRepository(Topic).createQueryBuilder('t').orderBy('t.key', 'ASC'), ['t.key', 't.title', 't.description'], q);
  }

  /** The catalogue's table, retired topics too, searched by key, title or description. */
  page(req: PageRequest) {
    return pageOf<Pick<Topic, 'key' | 'title' | 'description' | 'retiredAt'>>(
      this.db,
      { select: `key, title, description, retired_at AS "retiredAt"`, from: 'FROM topics', search: ['key', 'title', 'description'], order: 'key' },
      req,
    );
  }

  async get(key: string) {
    const topic = await this.db.getRepository(Topic).findOne({ where: { key } });
    if (!topic) throw new NotFoundException('topic not found');
    return topic;
  }

  create(p: Principal, dto: CreateTopicDto) {
    return this.db.transaction(async (m) => {
      const topic = m.create(Topic, { key: dto.key, title: dto.title.trim(), description: dto.description?.trim() ?? '', retiredAt: null });
      await m.insert(Topic, topic);
      await audit(m, actorOf(p), { action: 'topic.created', entityType: 'topic', entityId: topic.key, after: dto });
      return topic;
    });
  }

  /** Title and description change freely; retiring keeps the topic for what already uses it. The same values again change nothing. */
  update(p: Principal, key: string, dto: UpdateTopicDto) {
    return this.db.transaction(async (m) => {
      const topic = await m.findOne(Topic, { where: { key }, lock: { mode: 'pessimistic_write' } });
      if (!topic) throw new NotFoundException('topic not found');
      const before = { title: topic.title, description: topic.description, retired: !!topic.retiredAt };
      if (dto.title !== undefined) topic.title = dto.title.trim();
      if (dto.description !== undefined) topic.description = dto.description.trim();
      if (dto.retired !== undefined && dto.retired !== !!topic.retiredAt) topic.retiredAt = dto.retired ? new Date() : null;
      const after = { title: topic.title, description: topic.description, retired: !!topic.retiredAt };
      if (JSON.stringify(before) === JSON.stringify(after)) return topic; // nothing changed: nothing to save or audit
      await m.save(topic);
      const action = before.retired === after.retired ? 'topic.updated' : after.retired ? 'topic.retired' : 'topic.reinstated';
      await audit(m, actorOf(p), { action, entityType: 'topic', entityId: key, before, after });
      return topic;
    });
  }
}

@ApiTags('topics')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1/topics')
export class TopicsController {
  constructor(private readonly topics: TopicsService) {}

  @Get()
  @ApiOperation({ summary: 'The topic catalogue by key (retired topics too, marked by retiredAt); q searches key, title and description' })
  @ApiListOk(TopicResponse)
  async list(@Query() q: ListQuery, @Res({ passthrough: true }) res: Response) {
    return withTotal(res, await this.topics.search(q));
  }

  @Post()
  @ApiOperation({ summary: 'Add a topic to the catalogue (partnership admins)' })
  @ApiCreatedResponse({ type: TopicResponse })
  @ApiErrors(403, [409, 'The key is taken'], ...BODY_ERRORS)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateTopicDto) {
    return this.topics.create(p, dto);
  }

  @Patch(':key')
  @ApiOperation({ summary: 'Edit a topic’s title and description, or retire it (the key never changes)' })
  @ApiOkResponse({ type: TopicResponse })
  @ApiErrors(403, 404, ...BODY_ERRORS)
  update(@CurrentPrincipal() p: Principal, @Param('key') key: string, @Body() dto: UpdateTopicDto) {
    return this.topics.update(p, key, dto);
  }
}
