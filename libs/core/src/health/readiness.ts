import { DynamicModule, Inject, Injectable, Module, Optional, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { WORK_PUBLISHER, WorkConsumers, WorkPublisher } from '@sne/messaging';

/** In a worker: its transport, asked whether the consumers run. */
export const WORK_CONSUMERS = Symbol('WORK_CONSUMERS');

/**
 * Liveness and readiness, the same for every app: the api serves them at /health, the
 * dispatcher and courier on their own small listener (health-listener.ts). Readiness is
 * terminus's answer (`{ status, info, error, details }`, 503 when anything is down) for the
 * database, the broker and, in a worker, its consumers.
 */
@Injectable()
export class Readiness {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
    @Inject(WORK_PUBLISHER) private readonly publisher: WorkPublisher,
    @Optional() @Inject(WORK_CONSUMERS) private readonly consumers?: WorkConsumers,
  ) {}

  /** Liveness: the process answers. */
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness as an HTTP answer: 200 with terminus's result when everything is up, else 503 with
   * the same shape (`status: 'error'`, and `error` naming what is down).
   */
  async answer(): Promise<{ httpStatus: 200 | 503; body: HealthCheckResult }> {
    try {
      return { httpStatus: 200, body: await this.ready() };
    } catch (err) {
      if (err instanceof ServiceUnavailableException) return { httpStatus: 503, body: err.getResponse() as HealthCheckResult };
      throw err;
    }
  }

  private ready(): Promise<HealthCheckResult> {
    const checks = [
      () => this.db.pingCheck('database', { connection: this.dataSource, timeout: 2000 }),
      async () => this.indicate('messaging', await this.publisher.isReady(), 'broker not reachable'),
    ];
    const consumers = this.consumers;
    if (consumers) checks.push(async () => this.indicate('consumers', consumers.consumersRunning(), 'consumers not running'));
    return this.health.check(checks);
  }

  private indicate(key: string, up: boolean, problem: string) {
    const indicator = this.indicators.check(key);
    return up ? indicator.up() : indicator.down({ message: problem });
  }
}

@Module({})
export class HealthModule {
  /** `consumers`: a worker's transport strategy, so readiness also says whether its consumers run. */
  static forRoot(consumers?: WorkConsumers): DynamicModule {
    return {
      module: HealthModule,
      // The readiness answer says what is down; one log line per failed probe would only repeat it.
      imports: [TerminusModule.forRoot({ logger: false })],
      providers: [Readiness, ...(consumers ? [{ provide: WORK_CONSUMERS, useValue: consumers }] : [])],
      exports: [Readiness],
    };
  }
}
