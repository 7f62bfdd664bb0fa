import { JsonValue } from '@agentos/contracts';
import { RecoveryOutcome, RecoveryStrategy, RunMemory, TaskOutcome } from '../memory-records';
import { MemoryStoreError } from './memory-store-error';

export const RUN_STATUSES: readonly RunMemory['status'][] = ['succeeded', 'failed', 'cancelled'];
export const TASK_STATUSES: readonly TaskOutcome['status'][] = ['succeeded', 'failed', 'not_run'];
export const RECOVERY_STRATEGIES: readonly RecoveryStrategy[] = ['retry', 'retry_subgraph', 'reroute', 'replan', 'fail_goal'];

/** Limits of a stored run; generous, they keep one bad record from filling the database. */
export const RUN_MEMORY_LIMITS = {
  maxIdLength: 256,
  maxGoalTextLength: 100_000,
  maxEmbeddingDimensions: 65_536,
  maxTasks: 10_000,
  maxRecoveries: 10_000,
  maxErrorCodesPerTask: 1_000,
  maxPlanDepth: 64,
  /** PostgreSQL INTEGER columns (attempts, LLM calls). */
  maxInt32: 2_147_483_647,
} as const;

/** A lone UTF-16 surrogate: not encodable as UTF-8, so not storable the same way by both backends. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

class Problems {
  readonly list: string[] = [];

  text(field: string, value: unknown, maxLength: number, allowEmpty = false): void {
    if (typeof value !== 'string') return void this.list.push(`${field} must be a string`);
    if (!allowEmpty && value.length === 0) return void this.list.push(`${field} must not be empty`);
    if (value.length > maxLength) return void this.list.push(`${field} is longer than ${maxLength} characters`);
    this.characters(field, value);
  }

  /** PostgreSQL text cannot hold U+0000, and neither database keeps a lone surrogate: refuse both everywhere. */
  characters(field: string, value: string): void {
    if (value.includes('\u0000')) this.list.push(`${field} must not contain U+0000`);
    else if (LONE_SURROGATE.test(value)) this.list.push(`${field} must be well-formed Unicode (a lone surrogate)`);
  }

  number(field: string, value: unknown, options: { integer?: boolean; max?: number } = {}): void {
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.list.push(`${field} must be a finite number`);
    else if (value < 0) this.list.push(`${field} must not be negative`);
    else if (options.integer && !Number.isInteger(value)) this.list.push(`${field} must be an integer`);
    else if (value > max) this.list.push(`${field} must be at most ${max}`);
  }

  oneOf<T>(field: string, value: unknown, allowed: readonly T[]): void {
    if (!allowed.includes(value as T)) this.list.push(`${field} must be one of ${allowed.join(', ')}`);
  }

  json(field: string, value: JsonValue, depth: number): void {
    if (depth > RUN_MEMORY_LIMITS.maxPlanDepth) return void this.list.push(`${field} is nested deeper than ${RUN_MEMORY_LIMITS.maxPlanDepth}`);
    if (value === null || typeof value === 'boolean') return;
    if (typeof value === 'string') return this.characters(field, value);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) this.list.push(`${field} must be a finite number`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => this.json(`${field}[${index}]`, item, depth + 1));
      return;
    }
    if (typeof value !== 'object') return void this.list.push(`${field} is not a JSON value`);
    for (const [key, item] of Object.entries(value)) {
      this.characters(`${field} key ${JSON.stringify(key)}`, key);
      if (item === undefined) this.list.push(`${field}.${key} is undefined, not a JSON value`);
      else this.json(`${field}.${key}`, item, depth + 1);
    }
  }
}

function checkTask(problems: Problems, task: TaskOutcome, field: string): void {
  const limit = RUN_MEMORY_LIMITS.maxIdLength;
  problems.text(`${field}.taskId`, task.taskId, limit);
  problems.text(`${field}.tool`, task.tool, limit);
  problems.text(`${field}.workerType`, task.workerType, limit);
  problems.oneOf(`${field}.status`, task.status, TASK_STATUSES);
  problems.number(`${field}.attempts`, task.attempts, { integer: true, max: RUN_MEMORY_LIMITS.maxInt32 });
  problems.number(`${field}.latencyMs`, task.latencyMs);
  problems.number(`${field}.cost`, task.cost);
  if (!Array.isArray(task.errorCodes)) problems.list.push(`${field}.errorCodes must be an array`);
  else if (task.errorCodes.length > RUN_MEMORY_LIMITS.maxErrorCodesPerTask) {
    problems.list.push(`${field}.errorCodes has more than ${RUN_MEMORY_LIMITS.maxErrorCodesPerTask} entries`);
  } else task.errorCodes.forEach((code, index) => problems.text(`${field}.errorCodes[${index}]`, code, limit));
}

function checkRecovery(problems: Problems, recovery: RecoveryOutcome, field: string): void {
  const limit = RUN_MEMORY_LIMITS.maxIdLength;
  problems.text(`${field}.taskId`, recovery.taskId, limit);
  problems.text(`${field}.tool`, recovery.tool, limit);
  problems.text(`${field}.workerType`, recovery.workerType, limit);
  problems.text(`${field}.failureCode`, recovery.failureCode, limit);
  problems.oneOf(`${field}.strategy`, recovery.strategy, RECOVERY_STRATEGIES);
  if (typeof recovery.recovered !== 'boolean') problems.list.push(`${field}.recovered must be a boolean`);
  problems.number(`${field}.cost`, recovery.cost);
}

/**
 * Checks a run before anything is written, so both backends accept and refuse the same runs
 * (and a bad one is refused whole, with every problem listed, rather than half written).
 */
export function validateRunMemory(run: RunMemory): void {
  const problems = new Problems();
  const limits = RUN_MEMORY_LIMITS;
  problems.text('goalId', run.goalId, limits.maxIdLength);
  problems.text('goalText', run.goalText, limits.maxGoalTextLength);
  problems.text('normalizedGoal', run.normalizedGoal, limits.maxGoalTextLength, true);
  problems.text('goalTemplate', run.goalTemplate, limits.maxGoalTextLength, true);
  problems.text('embeddingModel', run.embeddingModel, limits.maxIdLength);
  problems.text('planShape', run.planShape, limits.maxIdLength);
  if (!(run.embedding instanceof Float32Array)) problems.list.push('embedding must be a Float32Array');
  else if (run.embedding.length === 0 || run.embedding.length > limits.maxEmbeddingDimensions) {
    problems.list.push(`embedding must have 1 to ${limits.maxEmbeddingDimensions} dimensions`);
  } else if (!run.embedding.every(Number.isFinite)) problems.list.push('embedding must hold finite numbers only');
  if (typeof run.plan !== 'object' || run.plan === null || Array.isArray(run.plan)) problems.list.push('plan must be a JSON object');
  else problems.json('plan', run.plan, 0);
  problems.oneOf('status', run.status, RUN_STATUSES);
  problems.number('startedAt', run.startedAt, { integer: true });
  problems.number('finishedAt', run.finishedAt, { integer: true });
  problems.number('llmCalls', run.llmCalls, { integer: true, max: limits.maxInt32 });
  problems.number('llmTokens', run.llmTokens, { integer: true });
  problems.number('cost', run.cost);
  if (!Array.isArray(run.tasks) || run.tasks.length > limits.maxTasks) problems.list.push(`tasks must be an array of at most ${limits.maxTasks}`);
  else run.tasks.forEach((task, index) => checkTask(problems, task, `tasks[${index}]`));
  if (!Array.isArray(run.recoveries) || run.recoveries.length > limits.maxRecoveries) {
    problems.list.push(`recoveries must be an array of at most ${limits.maxRecoveries}`);
  } else run.recoveries.forEach((recovery, index) => checkRecovery(problems, recovery, `recoveries[${index}]`));
  if (problems.list.length > 0) {
    const goalId = typeof run.goalId === 'string' ? run.goalId.slice(0, limits.maxIdLength) : String(run.goalId);
    const shown = problems.list.slice(0, 20);
    const more = problems.list.length > shown.length ? `\n  - ... and ${problems.list.length - shown.length} more` : '';
    throw new MemoryStoreError('memory_invalid_record', `run ${goalId} cannot be recorded:\n  - ${shown.join('\n  - ')}${more}`, {
      goalId,
      problems: problems.list.length,
    });
  }
}
