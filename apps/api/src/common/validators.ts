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
