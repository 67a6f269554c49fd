import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime } from '../common/api-docs';

export class TopicResponse {
  @ApiProperty({ example: 'substance-exposure.fentanyl' }) key: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiDateTime({ nullable: true, description: 'Set while the topic is retired: new notices cannot use it' }) retiredAt: string | null;
  @ApiDateTime() createdAt: string;
}
