import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { OneLine } from '../common/validators';

export class AttachmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ example: 'guidance.pdf', description: 'The file name as uploaded (path and control characters removed)' }) name: string;
  @ApiProperty({ example: 'application/pdf', description: 'The type sniffed from the content (never the extension or the uploader\'s claim)' }) mediaType: string;
  @ApiProperty({ example: 48213 }) sizeBytes: number;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', description: 'SHA-256 of the bytes, hex' }) sha256: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AttachmentListResponse {
  @ApiProperty({ type: [AttachmentResponse] }) items: AttachmentResponse[];
}

export class UploadAttachmentQuery {
  @ApiProperty({ example: 'guidance.pdf', description: 'The file name to show and to save the file as' })
  @IsString()
  @Length(1, 200) @OneLine()
  name: string;
}
