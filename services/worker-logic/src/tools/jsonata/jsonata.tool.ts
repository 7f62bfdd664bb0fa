import { DtoClass, Tool, ToolContext } from '@agentos/worker-kit';
import jsonata, { Expression } from 'jsonata';
import { throwIfAborted } from '../shared/abort';
import { assertOutputFits, DEFAULT_MAX_OUTPUT_BYTES } from '../shared/output-size';
import { EvaluationBudget, EvaluationLimits } from './evaluation-budget';
import { compileError, evaluationError } from './jsonata-errors';
import { JsonataInput, JsonataOutput } from './jsonata.dto';
import { toJsonValue } from './to-json-value';

export interface JsonataToolOptions extends EvaluationLimits {
  /** Largest result, as UTF-8 JSON. */
  readonly maxOutputBytes: number;
  /** Time source for the `maxEvalMs` limit (tests pass a fake one). */
  readonly clock?: () => number;
}

export const DEFAULT_JSONATA_OPTIONS: JsonataToolOptions = {
  maxEvalMs: 1_000,
  // About 160 levels of user recursion: enough for real work, far from exhausting memory.
  maxDepth: 500,
  maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES,
};

export class JsonataTool implements Tool<JsonataInput, JsonataOutput> {
  readonly name = 'jsonata';
  readonly description =
    'Evaluates a JSONata expression (query, filter, aggregate, reshape) against a JSON document, with optional $variables.';
  readonly input: DtoClass<JsonataInput> = JsonataInput;
  readonly output: DtoClass<JsonataOutput> = JsonataOutput;
  readonly sideEffects = false;
  private readonly options: JsonataToolOptions;

  constructor(options: Partial<JsonataToolOptions> = {}) {
    this.options = { ...DEFAULT_JSONATA_OPTIONS, ...options };
  }

  async execute(input: JsonataInput, context: ToolContext): Promise<JsonataOutput> {
    throwIfAborted(context.signal, this.name);
    const expression = compile(input.expression);
    const budget = new EvaluationBudget(this.options, context.signal, this.name, this.options.clock);
    budget.attachTo(expression);

    let raw: unknown;
    try {
      raw = await expression.evaluate(input.data, input.bindings);
    } catch (error) {
      throw budget.stoppedBy ?? evaluationError(error);
    }
    const result = toJsonValue(raw);
    assertOutputFits(result, this.options.maxOutputBytes, 'result');
    return { result };
  }
}

function compile(text: string): Expression {
  try {
    return jsonata(text);
  } catch (error) {
    throw compileError(error);
  }
}
