import { registerDecorator, ValidationOptions } from 'class-validator';
import { isTopicPattern } from '@sne/core';

export function IsTopicPattern(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isTopicPattern',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must hold topic patterns like safe-sleep, intake.* or substance-exposure.>`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && isTopicPattern(value) },
    });
}

/**
 * A one-line text (a name, a title, a code): no line break, which an email's text part, a CSV
 * export or a list would show as a new line that the writer did not mean (or that reads as
 * another field).
 */
export function OneLine(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'oneLine',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be one line (no line breaks)`, ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || isOneLine(value) },
    });
}

/** No line break of any kind (CR, LF, NEL, the Unicode line and paragraph separators). */
export const isOneLine = (text: string): boolean => !/[\r\n\u2028\u2029\u0085]/.test(text);
