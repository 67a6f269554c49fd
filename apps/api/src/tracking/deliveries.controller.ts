import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../common/principal';
import { DeliveryRetryService } from './delivery-retry.service';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('api/v1/deliveries')
export class DeliveriesController {
  constructor(private readonly retries: DeliveryRetryService) {}

  @Post(':id/retry')
  @HttpCode(202)
  @Roles('admin', 'agency_admin')
  @ApiOperation({ summary: 'Re-run a failed delivery (a dead letter); the webhook-id stays the same' })
  retry(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.retries.retry(p, id);
  }
}
