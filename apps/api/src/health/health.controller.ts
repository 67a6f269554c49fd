import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { WORK_PUBLISHER, WorkPublisher } from '@sne/messaging';
import { Public } from '../common/principal';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
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
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database and the message broker both answer. */
  @Get(['health', 'health/ready'])
  @HealthCheck()
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
  async scrape(@Res() res: Response) {
    res.type(this.metrics.contentType).send(await this.metrics.render());
  }
}
