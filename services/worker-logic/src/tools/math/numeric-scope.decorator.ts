import { isJsonObject } from '@agentos/contracts';
import { registerDecorator, ValidationOptions } from 'class-validator';

/** A scope variable: a finite number, a vector of them, or a rectangular matrix of them. */
export type ScopeValue = number | number[] | number[][];

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** How many numbers a scope value holds, or undefined when it is not a valid scope value. */
export function scopeValueSize(value: unknown): number | undefined {
  if (isFiniteNumber(value)) return 1;
  if (!Array.isArray(value)) return undefined;
  if (value.every(isFiniteNumber)) return value.length;
  const rows: unknown[] = value;
  if (!rows.every((row): row is unknown[] => Array.isArray(row) && row.every(isFiniteNumber))) return undefined;
  const width = rows[0].length;
  return rows.every((row) => row.length === width) ? rows.length * width : undefined;
}

/** An object of numeric variables holding at most `maxElements` numbers in all. */
export function IsNumericScope(maxElements: number, validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isNumericScope',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [maxElements],
      options: {
        message: `$property values must be finite numbers, vectors or rectangular matrices of them, at most ${maxElements} numbers in all`,
        ...validationOptions,
      },
      validator: {
        validate(value: unknown): boolean {
          if (!isJsonObject(value)) return false;
          let total = 0;
          for (const item of Object.values(value)) {
            const size = scopeValueSize(item);
            if (size === undefined) return false;
            total += size;
          }
          return total <= maxElements;
        },
      },
    });
  };
}
