import { ArgumentMetadata, BadRequestException, HttpException, Logger, ValidationPipe } from '@nestjs/common';

/**
 * The global ValidationPipe, except that a validator or transformer that throws on a client's
 * value (validator.js's URIError on odd text, a RangeError from a huge number or a deep value…)
 * is the client's input failing validation: a 400, never a 500. The error's kind is logged so the
 * validator can be fixed; the value is not (it may hold anything).
 */
export class InputValidationPipe extends ValidationPipe {
  private readonly log = new Logger('InputValidationPipe');

  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false, forbidUnknownValues: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (err) {
      if (err instanceof HttpException) throw err;
      const where = metadata.type === 'custom' ? 'a value' : `the ${metadata.type}${metadata.data ? ` ${metadata.data}` : ''}`;
      this.log.warn(`validating ${where} threw ${(err as Error)?.name ?? typeof err}: refused as 400`);
      throw new BadRequestException(`${where} could not be validated: check its type and characters`);
    }
  }
}
