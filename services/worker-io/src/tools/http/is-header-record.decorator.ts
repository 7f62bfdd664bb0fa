import { registerDecorator, ValidationOptions } from 'class-validator';

export interface HeaderRecordLimits {
  readonly maxEntries: number;
  readonly maxNameLength: number;
  readonly maxValueLength: number;
}

// RFC 9110 token; and the value characters node itself accepts (no CR, LF or NUL).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export function isHeaderRecord(value: unknown, limits: HeaderRecordLimits): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (entries.length > limits.maxEntries) return false;
  return entries.every(
    ([name, headerValue]) =>
      name.length <= limits.maxNameLength &&
      HEADER_NAME.test(name) &&
      typeof headerValue === 'string' &&
      headerValue.length <= limits.maxValueLength &&
      HEADER_VALUE.test(headerValue),
  );
}

/** A `Record<string, string>` of HTTP headers with bounded size and characters node will send. */
export function IsHeaderRecord(limits: HeaderRecordLimits, validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isHeaderRecord',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [limits],
      options: {
        message:
          `$property must be an object of at most ${limits.maxEntries} headers: token names up to ` +
          `${limits.maxNameLength} characters, string values up to ${limits.maxValueLength} without CR, LF or NUL`,
        ...validationOptions,
      },
      validator: { validate: (value: unknown) => isHeaderRecord(value, limits) },
    });
  };
}
