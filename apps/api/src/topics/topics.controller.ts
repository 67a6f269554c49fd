import { Body, Controller, Get, Injectable, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { audit, Topic } from '@sne/core';
import { actorOf, CurrentPrincipal, Principal } from '../common/principal';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { TopicResponse } from './topic.responses';

export class CreateTopicDto {
  @ApiProperty({ example: 'substance-exposure.fentanyl' })
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/, { message: 'key must be lowercase dotted words like substance-exposure.fentanyl' })
  @MaxLength(200)
  key: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
}

@Injectable()
export class TopicsService {
  constructor(private readonly db: DataSource) {}

  list() {
    return this.db.getRepository(Topic).find({ order: { key: 'ASC' } });
  }

  create(p: Principal, dto: CreateTopicDto) {
    return this.db.transaction(async (m) => {
      const topic = m.create(Topic, { key: dto.key, title: dto.title.trim(), description: dto.description?.trim() ?? '' });
      await m.insert(Topic, topic);
      await audit(m, actorOf(p), { action: 'topic.created', entityType: 'topic', entityId: topic.key, after: dto });
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
  @ApiOperation({ summary: 'The topic catalogue' })
  @ApiOkResponse({ type: [TopicResponse] })
  list() {
    return this.topics.list();
  }

  @Post()
  @ApiOperation({ summary: 'Add a topic to the catalogue (partnership admins)' })
  @ApiCreatedResponse({ type: TopicResponse })
  @ApiErrors(403, 409, ...BODY_ERRORS)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateTopicDto) {
    return this.topics.create(p, dto);
  }
}
