import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { RefusedBody } from '../common/limited-body';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { attachmentHeaders, DEFAULT_ATTACHMENT_TYPES } from '@sne/core';
import { ApiErrors, BODY_ERRORS } from '../common/api-docs';
import { CurrentPrincipal, Principal, Public } from '../common/principal';
import { AttachmentListResponse, AttachmentResponse, UploadAttachmentQuery } from './attachment.responses';
import { AttachmentsService } from './attachments.service';

/** The file itself: its sniffed type, `Content-Disposition: attachment` unless it is an image. */
const ApiFileResponse = () =>
  ApiOkResponse({
    description: 'The bytes, with X-Content-Type-Options: nosniff, a restrictive Content-Security-Policy and Content-Disposition (inline for images, attachment otherwise)',
    content: Object.fromEntries(DEFAULT_ATTACHMENT_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
  });

@ApiTags('attachments')
@ApiBearerAuth()
@ApiErrors(400, 401)
@Controller('api/v1/notices/:id/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @ApiOperation({
    summary: "Attach a file to a draft: the body is the file's bytes",
    description:
      'The type is sniffed from the content (PDF, PNG, JPEG, GIF, WebP by default: ATTACHMENT_TYPES); the size is limited (ATTACHMENT_MAX_KB); ' +
      'the malware-scan hook runs before anything is stored. The notice\'s version and contentHash change: an earlier review is void.',
  })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: AttachmentResponse })
  @ApiErrors(403, 404, [409, 'The notice is not a draft, or already carries the most attachments allowed'], [413, 'The file is larger than ATTACHMENT_MAX_KB'], [415, 'The content is not of an accepted type (sniffed from its bytes), or the body was sent as JSON or a form'], [422, 'The malware scan refused the file'], 429)
  add(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: UploadAttachmentQuery, @Body() body: unknown) {
    if (body instanceof RefusedBody) throw body.error;
    return this.attachments.add(p, id, q.name, Buffer.isBuffer(body) ? body : Buffer.alloc(0));
  }

  @Get()
  @ApiOperation({ summary: 'The attachments of a notice you can see, with their SHA-256' })
  @ApiOkResponse({ type: AttachmentListResponse })
  @ApiErrors(404)
  async list(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AttachmentListResponse> {
    return { items: await this.attachments.list(p, id) };
  }

  @Get(':attachmentId')
  @ApiOperation({ summary: 'Download one attachment of a notice you can see' })
  @ApiFileResponse()
  @ApiErrors(404)
  async download(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('attachmentId', ParseUUIDPipe) attachmentId: string, @Res() res: Response) {
    const { info, bytes } = await this.attachments.read(p, id, attachmentId);
    res.set(attachmentHeaders(info, bytes)).status(200).end(bytes);
  }

  @Delete(':attachmentId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an attachment from a draft (the version and contentHash change)' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(403, 404, 409, ...BODY_ERRORS)
  async remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('attachmentId', ParseUUIDPipe) attachmentId: string): Promise<void> {
    await this.attachments.remove(p, id, attachmentId);
  }
}

/** The signed, expiring links in emails: no credentials, the link is the permission. */
@ApiTags('attachments')
@ApiErrors(400)
@Controller('attachments')
export class AttachmentLinksController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get(':token')
  @Public()
  @ApiOperation({ summary: 'One attachment of a published notice, by the signed link an email carries' })
  @ApiFileResponse()
  @ApiErrors([404, 'Unknown, malformed or tampered link'], [410, 'The link has expired'])
  async open(@Param('token') token: string, @Res() res: Response) {
    const { info, bytes } = await this.attachments.readByLink(token);
    res.set(attachmentHeaders(info, bytes)).status(200).end(bytes);
  }
}
