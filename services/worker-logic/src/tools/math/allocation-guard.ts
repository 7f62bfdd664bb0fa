import { logicError } from '@agentos/worker-kit';
import { MathJsInstance } from 'mathjs';

/** How many numbers a call would allocate, when its arguments say so up front. */
type ElementCount = (math: MathJsInstance, args: readonly unknown[]) => number | undefined;

// The functions that allocate in proportion to a number in the expression rather than to
// its length: `zeros(1e5, 1e5)` or `1:1e9` would exhaust the heap and kill the worker.
const ALLOCATORS: Readonly<Record<string, ElementCount>> = {
  zeros: (math, args) => product(numbersIn(math, args)),
  ones: (math, args) => product(numbersIn(math, args)),
  identity: (math, args) => {
    const sizes = numbersIn(math, args);
    return sizes.length === 1 ? sizes[0] * sizes[0] : product(sizes);
  },
  range: (math, args) => rangeLength(math, args),
  // These take a size only as an array (plain numbers there are bounds, not sizes).
  random: (math, args) => sizeArgument(math, args[0]),
  randomInt: (math, args) => sizeArgument(math, args[0]),
  resize: (math, args) => sizeArgument(math, args[1]),
  matrixFromFunction: (math, args) => sizeArgument(math, args[0]),
};

/**
 * Wraps the allocating functions the expression parser can call so they refuse sizes over
 * `maxElements`. A bound on the obvious cases only: products of large inputs can still grow
 * quadratically; complete protection needs a separate process with a heap limit.
 */
export function guardAllocations(math: MathJsInstance, namespace: Record<string, unknown>, maxElements: number): void {
  for (const [name, count] of Object.entries(ALLOCATORS)) {
    const original = namespace[name];
    if (typeof original !== 'function') throw new Error(`mathjs has no function "${name}" to guard`);
    const guarded = (...args: unknown[]): unknown => {
      const elements = count(math, args);
      if (elements !== undefined && elements > maxElements) {
        throw logicError(`${name} would create ${elements} elements, more than the ${maxElements} allowed`, { maxElements });
      }
      return original(...args);
    };
    Object.defineProperty(namespace, name, { value: guarded, enumerable: true, writable: false, configurable: false });
  }
}

function product(values: readonly number[]): number {
  return values.reduce((total, value) => total * Math.abs(value), 1);
}

/** Every number in the arguments, reading into arrays and matrices; text (a format name) is skipped. */
function numbersIn(math: MathJsInstance, values: readonly unknown[]): number[] {
  return values.flatMap((value): number[] => {
    if (typeof value === 'number') return [value];
    if (math.isBigNumber(value)) return [value.toNumber()];
    if (Array.isArray(value)) return numbersIn(math, value);
    if (math.isMatrix(value)) return numbersIn(math, value.toArray() as unknown[]);
    return [];
  });
}

function sizeArgument(math: MathJsInstance, value: unknown): number | undefined {
  return Array.isArray(value) || math.isMatrix(value) ? product(numbersIn(math, [value])) : undefined;
}

/** `range(start, end[, step])` or `range("start:end")` / `range("start:step:end")`. */
function rangeLength(math: MathJsInstance, args: readonly unknown[]): number | undefined {
  let start: number | undefined;
  let end: number | undefined;
  let step: number | undefined = 1;
  if (typeof args[0] === 'string') {
    const parts = args[0].split(':').map(Number);
    if (parts.length === 2) [start, end] = parts;
    if (parts.length === 3) [start, step, end] = parts;
  } else {
    [start, end, step = 1] = args.slice(0, 3).map((value) => numbersIn(math, [value])[0]);
  }
  if (start === undefined || end === undefined || !step) return undefined;
  const length = Math.floor(Math.abs((end - start) / step)) + 1;
  return Number.isNaN(length) ? undefined : length;
}
