import { logicError } from '@agentos/worker-kit';
import { Fraction, MathJsInstance } from 'mathjs';

export interface MathResult {
  readonly value: number | string;
  readonly type: string;
}

/**
 * What an expression's value becomes on the wire: a JSON number for real numbers a JSON
 * number states exactly, else mathjs's `format()` text (matrices, units, complex numbers,
 * booleans, fractions like 1/3, BigNumbers beyond double precision).
 */
export function toMathResult(math: MathJsInstance, evaluated: unknown): MathResult {
  // Several statements (`a = 2; a^2`): the value of the last one shown.
  const value = math.isResultSet(evaluated) ? evaluated.entries[evaluated.entries.length - 1] : evaluated;
  if (value === undefined) throw logicError('expression produced no value');
  if (typeof value === 'function') throw logicError('expression evaluates to a function, not a value');
  if (hasNonFinite(math, value)) throw logicError(`result is not finite: ${math.format(value)}`);
  const type = math.typeOf(value);
  const number = asExactNumber(math, value);
  if (number !== undefined) return { value: number, type };
  return { value: typeof value === 'string' ? value : math.format(value), type };
}

function asExactNumber(math: MathJsInstance, value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  if (math.isBigNumber(value)) {
    const number = value.toNumber();
    return value.equals(String(number)) ? number : undefined;
  }
  if (math.isFraction(value)) return isTerminatingDecimal(value) ? Number(value.valueOf()) : undefined;
  if (math.isComplex(value)) return value.im === 0 ? value.re : undefined;
  return undefined;
}

/** 1/4 is 0.25 exactly; 1/3 has no finite decimal and stays "1/3". */
function isTerminatingDecimal(fraction: Fraction): boolean {
  let denominator = fraction.d;
  while (denominator % 2n === 0n) denominator /= 2n;
  while (denominator % 5n === 0n) denominator /= 5n;
  return denominator === 1n;
}

function hasNonFinite(math: MathJsInstance, value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (math.isBigNumber(value)) return !value.isFinite();
  if (math.isComplex(value)) return !Number.isFinite(value.re) || !Number.isFinite(value.im);
  if (math.isUnit(value)) return hasNonFinite(math, (value as unknown as { value: unknown }).value);
  if (Array.isArray(value)) return value.some((item) => hasNonFinite(math, item));
  if (math.isMatrix(value)) return hasNonFinite(math, value.toArray());
  return false;
}
