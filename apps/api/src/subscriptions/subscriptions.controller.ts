import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '../common/principal';
import { CreateSubscriptionDto, SubscriptionResponse, UpdateSubscriptionDto } from './subscription.dto';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('api/v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @ApiCreatedResponse({ type: SubscriptionResponse, description: 'A webhook subscription returns its signingSecret once' })
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateSubscriptionDto) {
    return this.subscriptions.create(p, dto);
  }

  @Get()
  list(@CurrentPrincipal() p: Principal) {
    return this.subscriptions.list(p);
  }

  @Get(':id')
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.get(p, id);
  }

  @Patch(':id')
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSubscriptionDto) {
    return this.subscriptions.update(p, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete the subscription',
    description:
      'It stops matching notices and its signing secrets are wiped. Messages still owed to it fail, and go to the agency fallback ' +
      'contacts by email unless another subscription carries them. Afterwards every route answers 404 for it.',
  })
  remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.remove(p, id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.pause(p, id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.resume(p, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'New signing secret (returned once); the previous one also signs for 24 h' })
  rotate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.rotateSecret(p, id);
  }

  @Post(':id/retry-failed')
  @HttpCode(202)
  @ApiOperation({ summary: 'Replay every dead letter of this subscription, with the same webhook-ids' })
  retryFailed(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.retryFailed(p, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a subscription.test event; follow it at GET /deliveries/{deliveryId}' })
  test(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.sendTest(p, id);
  }
}
