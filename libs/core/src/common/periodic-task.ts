import { Logger } from '@nestjs/common';
import type { DatabaseAvailability } from '../database/database-availability';

export interface PeriodicTaskOptions {
  log?: Pick<Logger, 'warn'>;
  /** While the database is away the task rests, and a run that meets the outage stays quiet (the availability logs it). */
  availability?: Pick<DatabaseAvailability, 'isOpen' | 'noteFailure'>;
}

/**
 * Runs `work` every `everyMs`, one run at a time (a run still going when the next is due is not
 * doubled), logging a failure and trying again at the next tick. The clock-driven jobs of the
 * dispatcher (sweeper, reminders) keep their state in rows, so a missed tick loses nothing.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running = false;
  private readonly log: Pick<Logger, 'warn'>;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly options: PeriodicTaskOptions = {},
  ) {
    this.log = options.log ?? new Logger(name);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.running || this.options.availability?.isOpen() === false) return;
    this.running = true;
    try {
      await this.work();
    } catch (err) {
      if (!this.options.availability?.noteFailure(err)) this.log.warn(`${this.name} failed, will try again: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
