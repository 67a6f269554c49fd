import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsUUID, IsOptional } from 'class-validator';
import { ListDeliveriesQuery } from '../acknowledgments/acknowledgments.controller';
import { TrackingService } from './tracking.service';
import { CurrentPrincipal, Principal } from '../common/principal';
import { DeliveryRetryService } from './delivery-retry.service';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { DeliveryListResponse, DeliveryRetryResponse } from './delivery.responses';

export class SearchDeliveriesQuery extends ListDeliveriesQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() subscriptionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() noticeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() agencyId?: string;
}

@ApiTags('deliveries')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1/deliveries')
export class DeliveriesController {
  constructor(
    private readonly retries: DeliveryRetryService,
    private readonly tracking: TrackingService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Deliveries across notices; ?status=failed lists the dead letters' })
  @ApiOkResponse({ type: DeliveryListResponse })
  list(@CurrentPrincipal() p: Principal, @Query() q: SearchDeliveriesQuery) {
    return this.tracking.list(p, q);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Re-run a failed delivery (a dead letter); the webhook-id stays the same' })
  @ApiAcceptedResponse({ type: DeliveryRetryResponse })
  @ApiErrors(403, 404, 409, ...BODY_ERRORS)
  retry(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.retries.retry(p, id);
  }
}
