import { BadRequestException, Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { SessionsService } from '../auth/sessions.service';
import { stillAuthorized } from '../common/credentials';
import { CurrentPrincipal, Principal } from '../common/principal';
import { NoticesService } from '../notices/notices.service';
import { LiveFeedService, RECHECK_MS } from './live-feed.service';
import { ApiErrors, ApiTextResponse } from '../common/api-docs';

const EVENT_ID = /^\d{1,19}$/;
const MAX_BIGINT = 9223372036854775807n;

export class LiveFeedQuery {
  @ApiPropertyOptional({ description: 'Resume after this event id (for clients that cannot send the Last-Event-ID header)' })
  @IsOptional() @Matches(EVENT_ID, { message: 'lastEventId must be an event id (digits)' })
  lastEventId?: string;

  @ApiPropertyOptional({
    description:
      'The API key, for browsers (EventSource cannot send headers). Prefer the Authorization header: a URL can end up in logs and history.',
  })
  @IsOptional() @IsString() @MaxLength(200)
  access_token?: string;
}

const SSE = 'Server-Sent Events, until the client disconnects or its credentials stop being valid';
const DESCRIPTION =
  'Server-Sent Events. Each event: `id` = audit event id, `event` = the audit action (e.g. `delivery.delivered`, ' +
  '`acknowledgment.acknowledged`), `data` = JSON `{entityType, entityId, noticeId, agencyId, at, after}`. Reconnect with ' +
  '`Last-Event-ID` (or `?lastEventId=`) to receive every event after it, then live ones. A comment line every 15 s keeps the stream open. ' +
  `The stream ends within LIVE_FEED_RECHECK_SECONDS (${RECHECK_MS / 1000} s by default) of its credentials ceasing to be valid (key revoked or expired, user disabled, agency offboarded, session ended, a role lost).`;

@ApiTags('live')
@ApiBearerAuth()
@ApiErrors(400, 401)
@ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' })
@Controller('api/v1')
export class LiveController {
  constructor(
    private readonly feeds: LiveFeedService,
    private readonly notices: NoticesService,
    private readonly db: DataSource,
    private readonly sessions: SessionsService,
  ) {}

  /** The guard's check again, on the request's own credentials, for as long as the stream is open. */
  private stillAllowed(req: Request, p: Principal) {
    return () => stillAuthorized(this.db, this.sessions, req, p);
  }

  @Get('notices/:id/events')
  @ApiTextResponse('text/event-stream', SSE)
  @ApiErrors(404)
  @ApiOperation({
    summary: "A notice's delivery and acknowledgment changes as they happen (issuer and admins: every agency; others: their own)",
    description: DESCRIPTION,
  })
  async noticeEvents(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: LiveFeedQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const last = lastEventIdOf(req, q);
    const notice = await this.notices.findVisible(this.db.manager, p, id);
    const onlyAgencyId = this.notices.seesAllRecipients(p, notice) ? null : p.agencyId;
    await this.feeds.stream(req, res, { kind: 'notice', noticeId: id, onlyAgencyId, viewerAgencyId: p.agencyId }, last, this.stillAllowed(req, p));
  }

  @Get('feed')
  @ApiTextResponse('text/event-stream', SSE)
  @ApiOperation({
    summary: "Every delivery and acknowledgment change concerning your agency: its own records and deliveries, and all of the notices it issued",
    description: DESCRIPTION,
  })
  async feed(@CurrentPrincipal() p: Principal, @Query() q: LiveFeedQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const last = lastEventIdOf(req, q);
    await this.feeds.stream(req, res, { kind: 'agency', agencyId: p.agencyId }, last, this.stillAllowed(req, p));
  }
}

/** The Last-Event-ID header, else ?lastEventId=; absent = start now. */
function lastEventIdOf(req: Request, q: LiveFeedQuery): bigint | null {
  const header = req.headers['last-event-id'];
  const raw = typeof header === 'string' && header.trim() !== '' ? header.trim() : q.lastEventId;
  if (raw === undefined) return null;
  if (!EVENT_ID.test(raw) || BigInt(raw) > MAX_BIGINT) throw new BadRequestException('Last-Event-ID must be an event id (digits)');
  return BigInt(raw);
}
