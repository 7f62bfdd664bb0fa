import { registerDecorator, ValidationOptions } from 'class-validator';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/**
 * An RFC 3339 date-time (`2026-11-25T19:31:12.123Z`), the JSON Schema `date-time` format:
 * a real calendar date, a real time of day and an explicit offset.
 */
export function isTimestamp(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const parts = RFC3339.exec(value);
  if (!parts) return false;
  const year = +parts[1]!;
  const month = +parts[2]!;
  const day = +parts[3]!;
  const hour = +parts[4]!;
  const minute = +parts[5]!;
  const second = +parts[6]!;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (parts[9] !== undefined && (+parts[9] > 23 || +parts[10]! > 59)) return false;
  return true;
}

export function IsTimestamp(validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an RFC 3339 date-time such as 2026-01-31T23:59:59.999Z', ...validationOptions },
      validator: { validate: isTimestamp },
    });
  };
}
