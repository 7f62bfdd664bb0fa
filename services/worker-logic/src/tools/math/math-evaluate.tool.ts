import { DtoClass, Tool, ToolContext } from '@agentos/worker-kit';
import { MathNode } from 'mathjs';
import { throwIfAborted } from '../shared/abort';
import { assertOutputFits, DEFAULT_MAX_OUTPUT_BYTES } from '../shared/output-size';
import { HardenedMath, MathLimits } from './hardened-math';
import { MathEvaluateInput, MathEvaluateOutput } from './math-evaluate.dto';
import { evaluationError, parseError } from './math-errors';
import { toMathResult } from './math-result';

export interface MathEvaluateToolOptions extends MathLimits {
  /** Largest output, as UTF-8 JSON (a formatted matrix can be long). */
  readonly maxOutputBytes: number;
}

export const DEFAULT_MATH_EVALUATE_OPTIONS: MathEvaluateToolOptions = {
  maxMatrixElements: 1_000_000,
  maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES,
};

/**
 * Evaluation is synchronous and cannot be interrupted: the time bound is the expression's
 * length, the absence of user-defined functions (no recursion) and the allocation guard.
 */
export class MathEvaluateTool implements Tool<MathEvaluateInput, MathEvaluateOutput> {
  readonly name = 'math.evaluate';
  readonly description =
    'Evaluates a mathjs expression (arithmetic, statistics, matrices, units, complex numbers) with optional numeric variables.';
  readonly input: DtoClass<MathEvaluateInput> = MathEvaluateInput;
  readonly output: DtoClass<MathEvaluateOutput> = MathEvaluateOutput;
  readonly sideEffects = false;
  private readonly options: MathEvaluateToolOptions;
  // One instance per tool: creating it takes tens of milliseconds, and expressions cannot change it.
  private readonly math: HardenedMath;

  constructor(options: Partial<MathEvaluateToolOptions> = {}) {
    this.options = { ...DEFAULT_MATH_EVALUATE_OPTIONS, ...options };
    this.math = new HardenedMath(this.options);
  }

  async execute(input: MathEvaluateInput, context: ToolContext): Promise<MathEvaluateOutput> {
    throwIfAborted(context.signal, this.name);
    let node: MathNode;
    try {
      node = this.math.parse(input.expression);
    } catch (error) {
      throw parseError(error);
    }
    let evaluated: unknown;
    try {
      // A fresh scope per call: assignments in one expression never reach another.
      evaluated = this.math.evaluate(node, new Map<string, unknown>(Object.entries(input.scope ?? {})));
    } catch (error) {
      throw evaluationError(error);
    }
    const output = toMathResult(this.math.math, evaluated);
    assertOutputFits(output, this.options.maxOutputBytes, 'result');
    return output;
  }
}
