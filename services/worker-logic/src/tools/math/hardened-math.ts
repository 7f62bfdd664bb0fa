import { invalidInput } from '@agentos/worker-kit';
import { all, create, MathJsInstance, MathNode } from 'mathjs';
import { guardAllocations } from './allocation-guard';

/**
 * Functions an expression must not call, after mathjs's security guide plus what the guide
 * predates: the parsers and symbolic functions that take text (a way around our AST
 * checks), `import`/`createUnit`/`reviver` (alter the shared instance), `config` (would
 * switch every later task to BigNumbers) and `typed` (`typed.clear()` breaks the instance).
 */
export const DISABLED_FUNCTIONS = [
  'import',
  'createUnit',
  'reviver',
  'config',
  'typed',
  'evaluate',
  'parse',
  'compile',
  'parser',
  'simplify',
  'simplifyConstant',
  'simplifyCore',
  'rationalize',
  'derivative',
  'resolve',
  'symbolicEqual',
  'leafCount',
] as const;

export interface MathLimits {
  /** Largest matrix or range an expression may create in one call. */
  readonly maxMatrixElements: number;
}

/**
 * A private mathjs instance whose expression language cannot reach the functions above.
 *
 * The guide's `math.import({...}, { override: true })` also replaces them in the instance's
 * own namespace, where mathjs resolves internal dependencies lazily: overriding `parse` or
 * `config` there breaks e.g. `eigs`. So the stubs go only into the namespace expressions
 * resolve names in (`math.expression.mathWithTransform`), and the instance stays whole.
 */
export class HardenedMath {
  readonly math: MathJsInstance;

  constructor(limits: MathLimits) {
    this.math = create(all);
    const namespace = expressionNamespace(this.math);
    for (const name of DISABLED_FUNCTIONS) {
      const refuse = (): never => {
        throw invalidInput(`the function ${name} is not available in math expressions`, { function: name });
      };
      Object.defineProperty(namespace, name, { value: refuse, enumerable: true, writable: false, configurable: false });
    }
    guardAllocations(this.math, namespace, limits.maxMatrixElements);
  }

  /**
   * Parses with the instance's own parser (the one expressions cannot call) and refuses
   * function definitions: evaluation is synchronous, so `f(n) = f(n-1) + f(n-1)` could not
   * be stopped once started.
   */
  parse(expression: string): MathNode {
    const node = this.math.parse(expression);
    node.traverse((child) => {
      if (this.math.isFunctionAssignmentNode(child)) {
        throw invalidInput(`defining functions (${child.name}(...) = ...) is not supported`, { function: child.name });
      }
    });
    return node;
  }

  evaluate(node: MathNode, scope: Map<string, unknown>): unknown {
    return node.compile().evaluate(scope);
  }
}

function expressionNamespace(math: MathJsInstance): Record<string, unknown> {
  // Not in mathjs's type declarations; present since v6 (the parser compiles against it).
  const namespace = (math as unknown as { expression?: { mathWithTransform?: Record<string, unknown> } }).expression?.mathWithTransform;
  if (!namespace) throw new Error('mathjs no longer exposes expression.mathWithTransform: revisit HardenedMath');
  return namespace;
}
