import { plainToInstance, TransformFnParams } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { ConfigError } from '../errors/agentos-error';

function describe(errors: readonly ValidationError[], into: string[] = []): string[] {
  for (const error of errors) {
    if (error.constraints) into.push(`${error.property}: ${Object.values(error.constraints).join('; ')}`);
    if (error.children?.length) describe(error.children, into);
  }
  return into;
}

/**
 * Reads configuration once from the environment into a validated, typed object, or fails
 * fast with every problem listed. Config classes name their fields after the variables.
 */
export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const relevant: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') relevant[key] = value;
  const config = plainToInstance(schema, relevant, { enableImplicitConversion: true, excludeExtraneousValues: false });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(`invalid configuration (${schema.name}):\n  - ${describe(errors).join('\n  - ')}`, {
      schema: schema.name,
    });
  }
  return config;
}

/** `a, b ,c` -> ['a', 'b', 'c']; for list-valued variables. */
export function splitList(value: unknown): string[] | unknown {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0)
    : value;
}

/**
 * For boolean variables (`@Transform(parseBooleanVariable)`): `true`/`1` -> true,
 * `false`/`0` -> false; anything else is left as given, for `@IsBoolean` to reject. Reads
 * the raw variable: implicit conversion has already turned every non-empty string,
 * "false" included, into `true` by the time `value` reaches a transform.
 */
export function parseBooleanVariable({ obj, key }: TransformFnParams): unknown {
  const raw: unknown = (obj as Record<string, unknown>)[key];
  if (raw === true || raw === 'true' || raw === '1') return true;
  if (raw === false || raw === 'false' || raw === '0') return false;
  return raw;
}
