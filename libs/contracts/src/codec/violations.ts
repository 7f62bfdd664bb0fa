import { ValidationError } from 'class-validator';
import { Violation } from './decode-error';

const MAX_VIOLATIONS = 20;

/** Flattens class-validator's error tree into dotted paths, capped so hostile input cannot bloat a DLQ record. */
export function toViolations(errors: readonly ValidationError[], parent = '', into: Violation[] = []): Violation[] {
  for (const error of errors) {
    if (into.length >= MAX_VIOLATIONS) break;
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) into.push({ path, constraints: error.constraints });
    if (error.children?.length) toViolations(error.children, path, into);
  }
  return into;
}

export function describeViolations(violations: readonly Violation[]): string {
  return violations
    .map((violation) => `${violation.path}: ${Object.values(violation.constraints).join('; ')}`)
    .join(' | ');
}
