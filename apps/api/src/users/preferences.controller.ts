import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { DataSource } from 'typeorm';
import { audit } from '@sne/core';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { actorOf, CurrentPrincipal, Principal } from '../common/principal';

export class PreferencesDto {
  @ApiProperty({ description: 'Email me when a notice awaits my review, and when my own notice is approved or rejected' })
  @IsBoolean()
  reviewEmails: boolean;
}

export class PreferencesResponse {
  @ApiProperty({ description: 'Email me when a notice awaits my review, and when my own notice is approved or rejected (on by default)' })
  reviewEmails: boolean;
}

/** The caller's own settings. */
@ApiTags('auth')
@ApiErrors(400, 401)
@Controller('api/v1/auth/preferences')
export class PreferencesController {
  constructor(private readonly db: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Your own settings' })
  @ApiOkResponse({ type: PreferencesResponse })
  async get(@CurrentPrincipal() p: Principal): Promise<PreferencesResponse> {
    return read(this.db, p.userId);
  }

  @Put()
  @ApiOperation({ summary: 'Change your own settings (audited)' })
  @ApiOkResponse({ type: PreferencesResponse })
  @ApiErrors(403, ...BODY_ERRORS)
  async put(@CurrentPrincipal() p: Principal, @Body() dto: PreferencesDto): Promise<PreferencesResponse> {
    return setReviewEmails(this.db, p, dto.reviewEmails);
  }
}

export async function read(db: DataSource, userId: string): Promise<PreferencesResponse> {
  const [row]: { review_emails: boolean }[] = await db.query(`SELECT review_emails FROM users WHERE id = $1`, [userId]);
  return { reviewEmails: row?.review_emails ?? true };
}

/** Also used by the console's account page. */
export async function setReviewEmails(db: DataSource, p: Principal, on: boolean): Promise<PreferencesResponse> {
  return db.transaction(async (m) => {
    const [row]: { review_emails: boolean }[] = await m.query(`SELECT review_emails FROM users WHERE id = $1 FOR UPDATE`, [p.userId]);
    if (row && row.review_emails !== on) {
      await m.query(`UPDATE users SET review_emails = $2 WHERE id = $1`, [p.userId, on]);
      await audit(m, actorOf(p), { action: 'user.preferences_changed', entityType: 'user', entityId: p.userId, before: { reviewEmails: row.review_emails }, after: { reviewEmails: on } });
    }
    return { reviewEmails: on };
  });
}
