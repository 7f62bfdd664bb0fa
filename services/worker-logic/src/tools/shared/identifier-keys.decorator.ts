import { isJsonObject } from '@agentos/contracts';
import { registerDecorator, ValidationOptions } from 'class-validator';

/** Variable names: what both JSONata (`$name`) and mathjs (`name`) accept, and nothing that reaches a prototype. */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isSafeIdentifier(key: string): boolean {
  return IDENTIFIER_PATTERN.test(key) && !PROTOTYPE_KEYS.has(key);
}

/** A JSON object used as a set of named variables: at most `maxKeys`, each name a safe identifier. */
export function HasIdentifierKeys(maxKeys: number, validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'hasIdentifierKeys',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [maxKeys],
      options: {
        message: `$property must be an object of at most ${maxKeys} variables named like ${IDENTIFIER_PATTERN.source} (not __proto__, constructor or prototype)`,
        ...validationOptions,
      },
      validator: {
        validate(value: unknown): boolean {
          if (!isJsonObject(value)) return false;
          const keys = Object.keys(value);
          return keys.length <= maxKeys && keys.every(isSafeIdentifier);
        },
      },
    });
  };
}
