import { isoTime, JsonObject, JsonValue, LIMITS, newEnvelope, ResultMessage, TaskError, TaskMessage } from '@agentos/contracts';
import { Semaphore, UNKNOWN_TOOL_LABEL, WorkerMetrics } from '@agentos/runtime';
import { describeDtoViolations, validateDto, violationsToJson } from '../tools/dto-validation';
import { Tool } from '../tools/tool';
import { ToolRegistry } from '../tools/tool-registry';
import { ToolError } from '../tools/tool-error';
import { CostMeter } from './cost-meter';
import { toTaskError, toWireError } from './error-mapping';
import { InFlightTasks } from './in-flight-tasks';
import { TaskAbort } from './task-abort';

export interface TaskExecutorOptions {
  readonly workerType: string;
  readonly workerId: string;
  /** Most tools running at once in this instance. */
  readonly concurrency: number;
}

/** Room left in one message for the output once the Result's own fields are counted. */
const MAX_OUTPUT_BYTES = LIMITS.maxMessageBytes - 16 * 1024;

type Outcome = { ok: true; output: JsonValue } | { ok: false; error: TaskError };

/** What happened to one task attempt, and when the tool held its slot. */
interface Attempt {
  readonly outcome: Outcome;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly finishedAt: number;
  /** Cost units the tool reported, when it reported any. */
  readonly cost?: number;
}

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
    /** Counts each reported attempt and its run time. */
    private readonly metrics?: WorkerMetrics,
  ) {
    this.slots = new Semaphore(options.concurrency);
  }

  get workerType(): string {
    return this.options.workerType;
  }

  async execute(task: TaskMessage): Promise<ResultMessage> {
    const receivedAt = Date.now();
    const attempt = await this.run(task, receivedAt);
    if (this.metrics) {
      // The tool named on the wire becomes a label only when this worker has it: bounded series.
      const tool = this.tools.get(task.tool) ? task.tool : UNKNOWN_TOOL_LABEL;
      this.metrics.taskExecuted(this.options.workerType, tool, attempt.outcome.ok, (attempt.finishedAt - attempt.startedAt) / 1000);
    }
    return this.result(task, attempt, receivedAt);
  }

  private async run(task: TaskMessage, receivedAt: number): Promise<Attempt> {
    const refuse = (code: 'tool_not_found' | 'invalid_input', message: string, details?: JsonObject): Attempt => ({
      outcome: { ok: false, error: { code, message, retriable: false, ...(details ? { details } : {}) } },
      startedAt: receivedAt,
      finishedAt: Date.now(),
    });
    if (task.workerType !== this.options.workerType) {
      return refuse('tool_not_found', `task for worker type "${task.workerType}" reached a "${this.options.workerType}" worker`);
    }
    const tool = this.tools.get(task.tool);
    if (!tool) {
      return refuse('tool_not_found', `no tool "${task.tool}" on worker type "${this.options.workerType}" (offers: ${this.tools.names().join(', ')})`);
    }
    const input = validateDto(tool.input, task.input, 'input');
    if (!input.ok) {
      return refuse('invalid_input', `invalid input for ${tool.name}: ${describeDtoViolations(input.violations)}`, violationsToJson(input.violations));
    }

    // Cancellable and on the clock from receipt: waiting for a slot counts against the deadline.
    const abort = new TaskAbort();
    const untrack = this.inFlight.add(task.goalId, task.taskId, task.attempt, abort);
    const timer = setTimeout(
      () => abort.abort(new ToolError('timeout', `${tool.name} exceeded its ${task.timeoutMs} ms deadline`)),
      task.timeoutMs,
    );
    try {
      if (!this.slots.tryAcquire()) await this.slots.acquire(abort.signal);
    } catch (reason) {
      clearTimeout(timer);
      untrack();
      return { outcome: { ok: false, error: toTaskError(reason) }, startedAt: Date.now(), finishedAt: Date.now() };
    }

    const startedAt = Date.now();
    let finishedAt: number | undefined;
    const cost = new CostMeter();
    const execution = this.invoke(tool, input.value, task, abort, cost);
    // The slot is held until the tool really settles, even when its result is reported at the
    // deadline: a tool that ignores its signal must not let more tools run than the limit.
    // finishedAt is taken before the slot is freed, so timings never show more than the limit.
    const released = execution.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      finishedAt = Date.now();
      clearTimeout(timer);
      untrack();
      this.slots.release();
    });

    let output: object;
    try {
      output = await raceAbort(execution, abort);
      await released;
    } catch (error) {
      if (!abort.aborted) await released;
      const reason = abort.aborted ? abort.reason : error;
      // What was spent up to now: a tool still running after its deadline may spend more, unreported.
      return { outcome: { ok: false, error: toTaskError(reason) }, startedAt, finishedAt: finishedAt ?? Date.now(), cost: cost.total };
    }
    return { outcome: this.checkOutput(tool, output), startedAt, finishedAt: finishedAt!, cost: cost.total };
  }

  private invoke(tool: Tool, input: object, task: TaskMessage, abort: TaskAbort, cost: CostMeter): Promise<object> {
    try {
      return Promise.resolve(
        tool.execute(input, {
          get signal() {
            return abort.signal;
          },
          idempotencyKey: task.idempotencyKey,
          goalId: task.goalId,
          taskId: task.taskId,
          attempt: task.attempt,
          reportCost: cost.report,
        }),
      );
    } catch (error) {
      // A tool that throws before returning its promise still frees its slot.
      return Promise.reject(error);
    }
  }

  private checkOutput(tool: Tool, output: object): Outcome {
    const validated = validateDto(tool.output, output, 'output');
    if (!validated.ok) {
      const message = `${tool.name} broke its output contract: ${describeDtoViolations(validated.violations)}`;
      return { ok: false, error: { code: 'internal', message, retriable: false } };
    }
    const bytes = Buffer.byteLength(JSON.stringify(output));
    if (bytes > MAX_OUTPUT_BYTES) {
      const message = `${tool.name} produced ${bytes} bytes of output; a result carries at most ${MAX_OUTPUT_BYTES}`;
      return { ok: false, error: { code: 'logic_error', message, retriable: false, details: { bytes, limit: MAX_OUTPUT_BYTES } } };
    }
    return { ok: true, output: output as unknown as JsonValue };
  }

  private result(task: TaskMessage, { outcome, startedAt, finishedAt, cost }: Attempt, receivedAt: number): ResultMessage {
    // Fields assigned onto the fresh envelope rather than spread (twice) into new objects: same
    // keys in the same order, without V8's slow path for spreads followed by more properties.
    const fields = {
      taskId: task.taskId,
      attempt: task.attempt,
      workerType: this.options.workerType,
      workerId: this.options.workerId,
      timings: {
        receivedAt: isoTime(receivedAt),
        startedAt: isoTime(startedAt),
        finishedAt: isoTime(finishedAt),
        runMs: finishedAt - startedAt,
      },
    };
    const envelope = newEnvelope('result', task);
    const result: ResultMessage = outcome.ok
      ? Object.assign(envelope, fields, { status: 'succeeded' as const, output: outcome.output })
      : Object.assign(envelope, fields, { status: 'failed' as const, error: toWireError(outcome.error) });
    return cost === undefined ? result : Object.assign(result, { cost });
  }
}

/** Settles with the work, or rejects as soon as the task is aborted, whichever comes first. */
function raceAbort<T>(work: Promise<T>, abort: TaskAbort): Promise<T> {
  if (abort.aborted) return Promise.reject(abort.reason);
  return new Promise<T>((resolve, reject) => {
    abort.onAbort(reject);
    work.then(
      (value) => {
        abort.onAbort(undefined);
        resolve(value);
      },
      (error: unknown) => {
        abort.onAbort(undefined);
        reject(error);
      },
    );
  });
}
