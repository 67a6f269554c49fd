import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { CurrentPrincipal, Principal } from '../common/principal';
import { CreateSubscriptionDto, SubscriptionResponse, UpdateSubscriptionDto } from './subscription.dto';
import { RetryFailedResponse, TestDeliveryResponse } from './subscription.responses';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('subscriptions')
@ApiBearerAuth()
@ApiErrors(400, 401, 403)
@Controller('api/v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe your agency to topics, by email or signed webhook' })
  @ApiCreatedResponse({ type: SubscriptionResponse, description: 'A webhook subscription returns its signingSecret once' })
  @ApiErrors(...BODY_ERRORS)
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateSubscriptionDto) {
    return this.subscriptions.create(p, dto);
  }

  @Get()
  @ApiOperation({ summary: "Your agency's subscriptions" })
  @ApiOkResponse({ type: [SubscriptionResponse] })
  list(@CurrentPrincipal() p: Principal) {
    return this.subscriptions.list(p);
  }

  @Get(':id')
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiErrors(404)
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.get(p, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, topics, minimum severity, addresses or URL (the channel stays)' })
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiErrors(404, ...BODY_ERRORS)
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
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404, ...BODY_ERRORS)
  remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.remove(p, id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause: your own choice. Notices that match it are held and sent when it is resumed' })
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiErrors(404, 409, ...BODY_ERRORS)
  pause(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.pause(p, id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused or disabled subscription: what it held is sent, and its failing streak is cleared' })
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiErrors(404, 409, ...BODY_ERRORS)
  resume(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.resume(p, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'New signing secret (returned once); every secret rotated out keeps signing for 24 h from its own rotation',
    description:
      'Each webhook carries a signature for the current secret and for every secret rotated out in the last 24 hours, ' +
      'so a receiver on any of them keeps verifying. At most 3 rotated-out secrets sign at once: a rotation beyond that ' +
      'is refused with 429 (Retry-After, retryAfterSeconds, and the message naming when the oldest stops signing); none is dropped early.',
  })
  @ApiOkResponse({ type: SubscriptionResponse, description: 'With the new signingSecret' })
  @ApiErrors(404, [429, 'Three secrets rotated out in the last 24 hours still sign, or too many requests: retry after the seconds in Retry-After'], 413, 415)
  rotate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.rotateSecret(p, id);
  }

  @Post(':id/retry-failed')
  @HttpCode(202)
  @ApiOperation({ summary: 'Replay every dead letter of this subscription, with the same webhook-ids' })
  @ApiAcceptedResponse({ type: RetryFailedResponse })
  @ApiErrors(404, ...BODY_ERRORS)
  retryFailed(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.retryFailed(p, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a subscription.test event; follow it at GET /deliveries/{deliveryId}' })
  @ApiAcceptedResponse({ type: TestDeliveryResponse })
  @ApiErrors(404, ...BODY_ERRORS)
  test(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.sendTest(p, id);
  }
}
