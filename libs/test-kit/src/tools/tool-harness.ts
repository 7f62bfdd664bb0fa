import { TaskErrorCode } from '@agentos/contracts';
import { describeDtoViolations, invalidInput, Tool, ToolContext, ToolError, validateDto } from '@agentos/worker-kit';

/** Test helpers: run a tool the way the task executor does, with the executor's own DTO validation. */

export function toolContext(overrides: Partial<ToolContext> = {}): ToolContext {
  return {
    signal: new AbortController().signal,
    idempotencyKey: 'test-key',
    goalId: 'goal-1',
    taskId: 'task-1',
    attempt: 1,
    // Tool specs that check what a tool spent pass their own, e.g. `{ reportCost: jest.fn() }`.
    reportCost: () => undefined,
    ...overrides,
  };
}

/** What the executor would say about this input, or [] when it would accept it. */
export function inputProblems(tool: Tool, plainInput: unknown): string[] {
  const validated = validateDto(tool.input, plainInput, 'input');
  return validated.ok ? [] : validated.violations.map((violation) => `${violation.path}: ${violation.problems.join('; ')}`);
}

export async function runTool<I extends object, O extends object>(
  tool: Tool<I, O>,
  plainInput: unknown,
  context: Partial<ToolContext> = {},
): Promise<O> {
  const input = validateDto(tool.input, plainInput, 'input');
  if (!input.ok) throw invalidInput(`invalid input for ${tool.name}: ${describeDtoViolations(input.violations)}`);
  const output = await tool.execute(input.value, toolContext(context));
  const validated = validateDto(tool.output, output, 'output');
  if (!validated.ok) throw new Error(`${tool.name} broke its output contract: ${describeDtoViolations(validated.violations)}`);
  return output;
}

/** Awaits a rejection that must be a ToolError with this code, and returns it for more checks. */
export async function expectToolError(work: Promise<unknown>, code: TaskErrorCode): Promise<ToolError> {
  const error = await work.then(
    (value: unknown) => {
      throw new Error(`expected a ${code} ToolError, got ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
  if (!(error instanceof ToolError)) throw error;
  if (error.taskErrorCode !== code) throw new Error(`expected ${code}, got ${error.taskErrorCode}: ${error.message}`);
  return error;
}
