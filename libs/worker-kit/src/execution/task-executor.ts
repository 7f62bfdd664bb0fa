import { JsonValue, LIMITS, newEnvelope, ResultMessage, TaskError, TaskMessage } from '@agentos/contracts';
import { Semaphore } from '@agentos/runtime';
import { describeDtoViolations, validateDto, violationsToJson } from '../tools/dto-validation';
import { ToolRegistry } from '../tools/tool-registry';
import { ToolError } from '../tools/tool-error';
import { toTaskError, toWireError } from './error-mapping';
import { InFlightTasks } from './in-flight-tasks';

export interface TaskExecutorOptions {
  readonly workerType: string;
  readonly workerId: string;
  /** Most tools running at once in this instance. */
  readonly concurrency: number;
}

/** Room left in one message for the output once the Result's own fields are counted. */
const MAX_OUTPUT_BYTES = LIMITS.maxMessageBytes - 16 * 1024;

type Outcome = { ok: true; output: JsonValue } | { ok: false; error: TaskError };

/**
 * Runs exactly the task it is given with the tool it names, and reports a Result. Never
 * retries, plans or judges a failure: it only says what happened, as a structured error.
 */
export class TaskExecutor {
  readonly slots: Semaphore;
  readonly inFlight = new InFlightTasks();

  constructor(
    private readonly tools: ToolRegistry,
    private readonly options: TaskExecutorOptions,
  ) {
    this.slots = new Semaphore(options.concurrency);
  }

  get workerType(): string {
    return this.options.workerType;
  }

  async execute(task: TaskMessage): Promise<ResultMessage> {
    const receivedAt = new Date();
    const outcome = await this.run(task, receivedAt);
    return this.result(task, outcome.result, receivedAt, outcome.startedAt);
  }

  private async run(task: TaskMessage, receivedAt: Date): Promise<{ result: Outcome; startedAt: Date }> {
    if (task.workerType !== this.options.workerType) {
      return this.early(`task for worker type "${task.workerType}" reached a "${this.options.workerType}" worker`, 'tool_not_found', receivedAt);
    }
    const tool = this.tools.get(task.tool);
    if (!tool) {
      return this.early(`no tool "${task.tool}" on worker type "${this.options.workerType}" (offers: ${this.tools.names().join(', ')})`, 'tool_not_found', receivedAt);
    }
    const input = validateDto(tool.input, task.input, 'input');
    if (!input.ok) {
      const error = new ToolError('invalid_input', `invalid input for ${tool.name}: ${describeDtoViolations(input.violations)}`, {
        details: violationsToJson(input.violations),
      });
      return { result: { ok: false, error: error.toTaskError() }, startedAt: receivedAt };
    }

    // The deadline runs from receipt: time spent waiting for a slot counts against it.
    const deadline = receivedAt.getTime() + task.timeoutMs;
    await this.slots.acquire();
    const startedAt = new Date();
    const controller = new AbortController();
    const untrack = this.inFlight.add(task.goalId, task.taskId, task.attempt, controller);
    const timer = setTimeout(
      () => controller.abort(new ToolError('timeout', `${tool.name} exceeded its ${task.timeoutMs} ms deadline`)),
      Math.max(0, deadline - startedAt.getTime()),
    );
    let execution: Promise<object>;
    try {
      execution = Promise.resolve(
        tool.execute(input.value, {
          signal: controller.signal,
          idempotencyKey: task.idempotencyKey,
          goalId: task.goalId,
          taskId: task.taskId,
          attempt: task.attempt,
        }),
      );
    } catch (error) {
      // A tool that throws before returning its promise must still free its slot below.
      execution = Promise.reject(error);
    }
    // The slot is held until the tool really settles, even when its result is reported at the
    // deadline: a tool that ignores its signal must not let more tools run than the limit.
    void execution
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        untrack();
        this.slots.release();
      });

    try {
      const output = await raceAbort(execution, controller.signal);
      const validated = validateDto(tool.output, output, 'output');
      if (!validated.ok) {
        return {
          result: { ok: false, error: { code: 'internal', message: `${tool.name} broke its output contract: ${describeDtoViolations(validated.violations)}`, retriable: false } },
          startedAt,
        };
      }
      const bytes = Buffer.byteLength(JSON.stringify(output));
      if (bytes > MAX_OUTPUT_BYTES) {
        const message = `${tool.name} produced ${bytes} bytes of output; a result carries at most ${MAX_OUTPUT_BYTES}`;
        return { result: { ok: false, error: { code: 'logic_error', message, retriable: false, details: { bytes, limit: MAX_OUTPUT_BYTES } } }, startedAt };
      }
      return { result: { ok: true, output: output as unknown as JsonValue }, startedAt };
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      return { result: { ok: false, error: toTaskError(reason) }, startedAt };
    }
  }

  private early(message: string, code: 'tool_not_found', at: Date): { result: Outcome; startedAt: Date } {
    return { result: { ok: false, error: { code, message, retriable: false } }, startedAt: at };
  }

  private result(task: TaskMessage, outcome: Outcome, receivedAt: Date, startedAt: Date): ResultMessage {
    const finishedAt = new Date();
    const base = {
      ...newEnvelope('result', task),
      taskId: task.taskId,
      attempt: task.attempt,
      workerType: this.options.workerType,
      workerId: this.options.workerId,
      timings: {
        receivedAt: receivedAt.toISOString(),
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        runMs: finishedAt.getTime() - startedAt.getTime(),
      },
    };
    return outcome.ok
      ? { ...base, status: 'succeeded', output: outcome.output }
      : { ...base, status: 'failed', error: toWireError(outcome.error) };
  }
}

/** Settles with the work, or rejects as soon as the signal aborts, whichever comes first. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
