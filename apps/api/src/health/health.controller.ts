import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck } from '@nestjs/terminus';
import type { Response } from 'express';
import { Readiness } from '@sne/core';
import { ApiErrors, ApiTextResponse } from '../common/api-docs';
import { Public } from '../common/principal';
import { LivenessResponse, NotReadyResponse, ReadinessResponse } from './health.responses';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@ApiErrors(400)
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    private readonly metrics: MetricsService,
  ) {}

  /** Liveness: the process answers. */
  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessResponse })
  live() {
    return this.readiness.live();
  }

  /**
   * Readiness: the database and the message broker both answer (the check the dispatcher and
   * courier answer on HEALTH_PORT). Unready is a 503 in the same shape, naming what is down.
   */
  @Get(['health', 'health/ready'])
  @ApiOperation({ summary: 'Readiness: the database and the message broker both answer (503 otherwise)' })
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse({ type: NotReadyResponse, description: 'A check failed' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const { httpStatus, body } = await this.readiness.answer();
    res.status(httpStatus);
    return body;
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiTextResponse('text/plain', 'The Prometheus text exposition format')
  async scrape(@Res() res: Response) {
    // Rendered first: a failure (the database away) then reaches the filter with no content type set yet.
    const body = await this.metrics.render();
    res.type(this.metrics.contentType).send(body);
  }
}
