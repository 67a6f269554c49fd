import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiTextResponse } from '../common/api-docs';
import { LivenessResponse, NotReadyResponse, ReadinessResponse } from './health.responses';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';
import { Public } from '../common/principal';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@ApiErrors(400)
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
    @Inject(WORK_PUBLISHER) private readonly publisher: WorkPublisher,
    private readonly metrics: MetricsService,
  ) {}

  /** Liveness: the process answers. */
  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessResponse })
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database and the message broker both answer. */
  @Get(['health', 'health/ready'])
  @ApiOperation({ summary: 'Readiness: the database and the message broker both answer (503 otherwise)' })
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse({ type: NotReadyResponse, description: 'A check failed' })
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { connection: this.dataSource, timeout: 2000 }),
      async () => {
        const indicator = this.indicators.check('messaging');
        return (await this.publisher.isReady()) ? indicator.up() : indicator.down({ message: 'broker not reachable' });
      },
    ]);
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiTextResponse('text/plain', 'The Prometheus text exposition format')
  async scrape(@Res() res: Response) {
    res.type(this.metrics.contentType).send(await this.metrics.render());
  }
}
