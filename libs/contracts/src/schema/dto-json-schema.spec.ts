import Ajv from 'ajv';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, registerDecorator, ValidateNested } from 'class-validator';
import { IsTimestamp } from '../envelope/is-timestamp.decorator';
import { IsBoundedJson } from '../json/is-bounded-json.decorator';
import { JsonObject } from '../json/json-value';
import { TaskMessageDto } from '../messages/task.message';
import { dtoJsonSchema } from './dto-json-schema';
import { JSONSchema } from './json-schema';

/** A custom rule the generator knows nothing about. */
function IsEvenKeyCount(limit: number): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isEvenKeyCount',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [limit],
      options: { message: '$property must have an even number of keys, at most $constraint1' },
      validator: { validate: (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).length % 2 === 0 },
    });
}

function HasNoSpaces(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'hasNoSpaces',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: { validate: (value: unknown) => typeof value === 'string' && !value.includes(' ') },
    });
}

class RetryDto {
  @IsInt()
  @Max(10)
  readonly attempts!: number;
}

class SampleInput {
  @IsString()
  @MaxLength(100)
  @HasNoSpaces()
  readonly name!: string;

  @IsOptional()
  @IsIn(['fast', 'slow'])
  readonly mode?: string;

  @IsOptional()
  @IsEvenKeyCount(8)
  readonly pairs?: Record<string, string>;

  @IsBoundedJson({ objectOnly: true })
  readonly payload!: JsonObject;

  @IsTimestamp()
  readonly at!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => RetryDto)
  readonly retry?: RetryDto;
}

/** Tool DTOs may be built per tool instance, with the instance's limits. */
function inputWithLimit(max: number) {
  class LimitedInput {
    @IsInt()
    @Max(max)
    readonly count!: number;
  }
  return LimitedInput;
}

class NoFields {}

const property = (schema: JSONSchema, name: string) => (schema.properties as Record<string, JSONSchema>)[name];

describe('dtoJsonSchema', () => {
  const schema = dtoJsonSchema(SampleInput, { unknownFields: 'reject' });

  it('describes the class, its limits and its nested DTOs as definitions', () => {
    expect(schema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'SampleInput',
      type: 'object',
      required: ['name', 'payload', 'at'],
      additionalProperties: false,
    });
    expect(property(schema, 'mode')).toEqual({ type: 'string', enum: ['fast', 'slow'] });
    expect(property(schema, 'at')).toEqual({ type: 'string', format: 'date-time' });
    expect(property(schema, 'payload')).toMatchObject({ type: 'object', description: expect.stringContaining('64 levels') });
    expect(property(schema, 'retry')).toEqual({ $ref: '#/definitions/Retry' });
    expect(schema.definitions).toEqual({
      Retry: { type: 'object', properties: { attempts: { type: 'integer', maximum: 10 } }, required: ['attempts'], additionalProperties: false },
    });
  });

  it('turns a custom rule it cannot translate into the field type plus a description, not a throw', () => {
    expect(property(schema, 'pairs')).toEqual({ description: 'Must have an even number of keys, at most 8.' });
    expect(property(schema, 'name')).toEqual({ type: 'string', maxLength: 100, description: 'Checked by the rule "hasNoSpaces".' });
  });

  it('lets unknown fields through by default (outputs, messages)', () => {
    expect(dtoJsonSchema(RetryDto).additionalProperties).toBe(true);
  });

  it('states the limits of a class built per instance', () => {
    expect(property(dtoJsonSchema(inputWithLimit(5)), 'count')).toEqual({ type: 'integer', maximum: 5 });
    expect(property(dtoJsonSchema(inputWithLimit(50)), 'count')).toEqual({ type: 'integer', maximum: 50 });
  });

  it('gives a class without rules an empty object schema', () => {
    expect(dtoJsonSchema(NoFields)).toMatchObject({ type: 'object', properties: {}, additionalProperties: true });
  });

  it('works for the message DTOs too', () => {
    expect(property(dtoJsonSchema(TaskMessageDto), 'workerType')).toEqual({ type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' });
  });

  it('is a draft-07 schema a real validator accepts, agreeing with the DTO on samples', () => {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const valid = { name: 'a', payload: {}, at: '2026-01-01T00:00:00Z', retry: { attempts: 2 } };
    expect(validate(valid)).toBe(true);
    expect(validate({ ...valid, extra: 1 })).toBe(false);
    expect(validate({ ...valid, retry: { attempts: 11 } })).toBe(false);
    expect(validate({ ...valid, mode: 'medium' })).toBe(false);
  });
});
