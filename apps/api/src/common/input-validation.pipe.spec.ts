import { BadRequestException, Logger, ValidationPipe } from '@nestjs/common';
import { IsEmail, MaxLength, registerDecorator } from 'class-validator';
import { InputValidationPipe } from './input-validation.pipe';

class EmailDto {
  @IsEmail() @MaxLength(254) email: string;
}

function Throws(error: () => Error) {
  return (object: object, propertyName: string) =>
    registerDecorator({ name: 'throws', target: object.constructor, propertyName, validator: { validate: () => { throw error(); } } });
}
class ThrowingDto {
  @Throws(() => new RangeError('Maximum call stack size exceeded')) value: unknown;
}

Logger.overrideLogger(false);

const body = (metatype: new () => object) => ({ type: 'body' as const, metatype, data: undefined });

describe('InputValidationPipe', () => {
  it('turns a validator that throws on a client value into a 400 (the URIError of a lone surrogate in an email)', async () => {
    // The plain ValidationPipe lets validator.js's URIError through: the 500 found from outside.
    await expect(new ValidationPipe().transform({ email: '\ud800x\udfff' }, body(EmailDto))).rejects.toBeInstanceOf(URIError);
    const pipe = new InputValidationPipe();
    await expect(pipe.transform({ email: '\ud800x\udfff' }, body(EmailDto))).rejects.toEqual(new BadRequestException('the body could not be validated: check its type and characters'));
    await expect(pipe.transform({ value: 1 }, body(ThrowingDto))).rejects.toBeInstanceOf(BadRequestException);
    await expect(pipe.transform({ email: 'x', extra: 1 }, body(EmailDto))).rejects.toMatchObject({ response: { message: expect.arrayContaining(['property extra should not exist']) } });
    await expect(pipe.transform({ email: 'a@b.test' }, body(EmailDto))).resolves.toBeInstanceOf(EmailDto);
  });
});
