import { BadRequestException, Logger, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength, registerDecorator, ValidateNested } from 'class-validator';
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

class ContactDto {
  @IsString() @MinLength(1) name: string;
  @IsOptional() @IsString() role?: string;
}
class FormDto {
  @IsString() @MinLength(3) title: string;
  @IsOptional() @IsString() note?: string;
  @IsOptional() @IsString({ each: true }) @MinLength(1, { each: true }) actions?: string[];
  @IsOptional() @ValidateNested() @Type(() => ContactDto) contact?: ContactDto;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => ContactDto) contacts?: ContactDto[];
}

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

  it('refuses white space alone in every field with a minimum length, nested and in lists, naming each; leaves other fields alone', async () => {
    const pipe = new InputValidationPipe();
    const blank = { title: ' \t\n ', note: '   ', actions: ['ok', ' '], contact: { name: '\u00a0\u2003', role: ' ' }, contacts: [{ name: 'Ann' }, { name: '  ' }] };
    await expect(pipe.transform(blank, body(FormDto))).rejects.toMatchObject({
      response: { message: ['title must not be blank', 'actions[1] must not be blank', 'contact.name must not be blank', 'contacts[1].name must not be blank'] },
    });
    const fine = { title: ' A title ', note: '   ', actions: ['ok'], contact: { name: 'Ann', role: ' ' }, contacts: [{ name: ' B ' }] };
    await expect(pipe.transform(fine, body(FormDto))).resolves.toBeInstanceOf(FormDto);
    // Only bodies: a query or a path parameter is not a record's field.
    await expect(pipe.transform({ title: '   ' }, { type: 'query', metatype: FormDto, data: undefined })).resolves.toBeInstanceOf(FormDto);
  });
});
