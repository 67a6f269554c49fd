import { ApiProperty } from '@nestjs/swagger';

export class RetryFailedResponse {
  @ApiProperty({ description: 'Dead letters put back to pending (with their webhook-ids)' }) retried: number;
}

export class TestDeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'Follow it at GET /api/v1/deliveries/{deliveryId}' }) deliveryId: string;
}
