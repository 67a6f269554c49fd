import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime } from '../common/api-docs';

export class TopicResponse {
  @ApiProperty({ example: 'substance-exposure.fentanyl' }) key: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiDateTime() createdAt: string;
}
