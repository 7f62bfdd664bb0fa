import { compileValidator, InstanceValidator, JsonObject, plainToDto } from '@agentos/contracts';
import { ValidationError, validateSync } from 'class-validator';
import { DtoClass } from './tool';

export interface DtoViolation {
  readonly path: string;
  readonly problems: readonly string[];
}

function flatten(errors: readonly ValidationError[], parent = '', into: DtoViolation[] = []): DtoViolation[] {
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) into.push({ path, problems: Object.values(error.constraints) });
    if (error.children?.length) flatten(error.children, path, into);
  }
  return into;
}

const compiled = { input: new WeakMap<DtoClass<object>, InstanceValidator>(), output: new WeakMap<DtoClass<object>, InstanceValidator>() };

function compiledFor(dto: DtoClass<object>, mode: 'input' | 'output'): InstanceValidator {
  let validator = compiled[mode].get(dto);
  if (!validator) {
    validator = compileValidator(dto, { forbidUnknownProperties: mode === 'input' });
    compiled[mode].set(dto, validator);
  }
  return validator;
}

/**
 * Validates plain JSON against a tool's DTO class. Inputs reject unknown fields, so a
 * misspelt parameter in a plan fails loudly instead of being ignored.
 */
export function validateDto<T extends object>(
  dto: DtoClass<T>,
  plain: unknown,
  mode: 'input' | 'output',
): { ok: true; value: T } | { ok: false; violations: DtoViolation[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    const got = plain === null ? 'null' : Array.isArray(plain) ? 'an array' : typeof plain;
    return { ok: false, violations: [{ path: '$', problems: [`${mode} must be a JSON object, got ${got}`] }] };
  }
  const instance = plainToDto(dto, plain) as T;
  // The compiled validator decides the common case; class-validator itself explains a rejection.
  if (compiledFor(dto, mode)(instance)) return { ok: true, value: instance };
  const errors = validateSync(instance, {
    forbidUnknownValues: true,
    whitelist: mode === 'input',
    forbidNonWhitelisted: mode === 'input',
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) return { ok: false, violations: flatten(errors) };
  return { ok: true, value: instance };
}

export function violationsToJson(violations: readonly DtoViolation[]): JsonObject {
  return { violations: violations.slice(0, 20).map((violation) => ({ path: violation.path, problems: [...violation.problems] })) };
}

export function describeDtoViolations(violations: readonly DtoViolation[]): string {
  return violations.map((violation) => `${violation.path}: ${violation.problems.join('; ')}`).join(' | ');
}
