import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { RetryLater } from '@sne/messaging';
import { DatabaseAvailability } from './database-availability';

/**
 * For the workers' message handlers: a handler that failed because the database is away asks for
 * its message again later (RetryLater, which the transport logs at debug level only), after a
 * delay that grows with the outage. The outage itself is logged once, by DatabaseAvailability.
 */
@Injectable()
export class DatabaseOutageInterceptor implements NestInterceptor {
  constructor(private readonly availability: DatabaseAvailability) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err) =>
        throwError(() => (this.availability.noteFailure(err) ? new RetryLater(this.availability.retryDelayMs(), 'database unavailable') : err)),
      ),
    );
  }
}
