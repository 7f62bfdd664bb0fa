import { JsonObject, JsonValue, LIMITS } from '@agentos/contracts';
import { Run } from './run';
import { TaskStatus } from './task-status';

const MAX_OUTPUT_BYTES = Math.floor(LIMITS.maxMessageBytes / 2);

/** The goal's result: the outputs of its output tasks, by task id (elided when too big for one event). */
export function goalOutputs(run: Run): JsonObject {
  const outputs: JsonObject = {};
  for (const index of run.plan.outputs) outputs[run.plan.nodes[index]!.id] = run.outputs[index] ?? null;
  const size = Buffer.byteLength(JSON.stringify(outputs));
  if (size <= MAX_OUTPUT_BYTES) return outputs;
  return { elided: `outputs are ${size} bytes, more than one event carries (${MAX_OUTPUT_BYTES})`, tasks: Object.keys(outputs) };
}

const round = (ms: number): number => Math.round(ms * 1_000) / 1_000;

/** p50, p99 and max dispatch-to-result latency of the goal's succeeded tasks (nearest rank). */
function latencyPercentiles(run: Run): JsonObject | null {
  const samples = new Float64Array(run.succeeded);
  let count = 0;
  for (let index = 0; index < run.size; index++) {
    if (run.taskStatus[index] === TaskStatus.Succeeded) samples[count++] = run.latencyMs[index]!;
  }
  if (count === 0) return null;
  const sorted = samples.subarray(0, count).sort();
  const rank = (p: number): number => sorted[Math.min(count - 1, Math.ceil((p / 100) * count) - 1)]!;
  return { p50: round(rank(50)), p99: round(rank(99)), max: round(sorted[count - 1]!) };
}

export function runStats(run: Run): JsonObject {
  return {
    tasks: run.size,
    succeeded: run.succeeded,
    dispatches: run.dispatches,
    durationMs: Date.now() - run.startedAt,
    latencyMs: latencyPercentiles(run),
  };
}

/** What happened to a failed goal: the task, every attempt's error and the decision taken. */
export function failureReport(run: Run, index: number | undefined, reason: string): JsonObject {
  const history: JsonValue[] = [];
  for (const [taskIndex, decisions] of run.history) {
    history.push({
      taskId: run.plan.nodes[taskIndex]!.id,
      decisions: decisions.map((decision) => ({
        attempt: decision.attempt,
        error: { ...decision.error },
        decision: decision.decision,
      })) as JsonValue[],
    });
  }
  return {
    reason,
    ...(index !== undefined ? { failedTask: run.plan.nodes[index]!.id } : {}),
    history: history.slice(0, 100),
    stats: runStats(run),
  };
}
