import { Controller, Get, Logger, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { once } from 'node:events';
import { DataSource } from 'typeorm';
import { AuditChainReport, verifyAuditChain } from '@sne/core/audit/audit-chain';
import { exportAuditChain } from '@sne/core/audit/audit-export';
import { ApiErrors, ApiTextResponse } from '../common/api-docs';
import { AuditChainReportResponse } from './audit.responses';

/**
 * The audit log's hash chain, for partnership admins: verify it in place, or export it (JSON
 * lines) to keep elsewhere and verify offline with `npm run audit:verify -- --file <export>`.
 * Admins only: the rule is in common/authorization.table.ts, which ApiKeyGuard enforces.
 */
@ApiTags('audit')
@ApiBearerAuth()
@ApiErrors(400, 401, 403)
@Controller('api/v1/audit')
export class AuditVerifyController {
  private readonly log = new Logger(AuditVerifyController.name);

  constructor(private readonly db: DataSource) {}

  @Get('verify')
  @ApiOperation({
    summary: 'Walk the audit hash chain and name the first broken link',
    description:
      '`ok`, the number of events checked, the head (seq, event id, hash), and `firstBroken` ' +
      "(seq, event id, action, entity, problem: 'content changed' | 'missing event' | 'out of order' | 'hash mismatch' | 'inserted event'). " +
      '`unsealed` counts events not in the chain yet (`lagging` when the oldest is over a minute old; not a break).',
  })
  @ApiOkResponse({ type: AuditChainReportResponse })
  async verify(): Promise<AuditChainReport> {
    return verifyAuditChain((sql, params) => this.db.query(sql, params));
  }

  @Get('export')
  @ApiTextResponse('application/x-ndjson', 'One JSON object per line')
  @ApiOperation({
    summary: 'The sealed audit chain as JSON lines, in seq order',
    description:
      'One line per event: `{"seq","prevHash","hash","event":{…}}`, the event exactly as hashed. ' +
      'Verify the file offline with `npm run audit:verify -- --file <file>`; keep the head hash to detect a cut-off tail.',
  })
  async export(@Req() req: Request, @Res() res: Response): Promise<void> {
    let gone = false;
    req.on('close', () => (gone = true));
    res.status(200);
    res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="audit-chain-${new Date().toISOString().slice(0, 10)}.jsonl"`);
    res.setHeader('cache-control', 'no-store');
    try {
      for await (const lines of exportAuditChain((sql, params) => this.db.query(sql, params))) {
        if (gone || res.destroyed) return;
        if (!res.write(lines.join('\n') + '\n')) await once(res, 'drain');
      }
      res.end();
    } catch (err) {
      // The status line is gone already: cut the stream so the client sees an incomplete export.
      this.log.error(`audit export failed: ${err.message}`);
      res.destroy(err);
    }
  }
}
