import { GoalEventMessage, JsonValue } from '@agentos/contracts';

function short(value: JsonValue | undefined, max = 160): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line per goal event, for people watching a run in a terminal. */
export function describeEvent(event: GoalEventMessage): string | undefined {
  const data = event.data ?? {};
  switch (event.type) {
    case 'goal.accepted':
      return `goal ${event.goalId} accepted`;
    case 'goal.planned':
      return `planned ${String(data.tasks)} tasks over worker types ${short(data.workerTypes)}`;
    case 'goal.rejected':
      return `goal rejected: ${String(data.reason)}\n${short(data.errors, 2_000)}`;
    case 'task.dispatched':
      return undefined;
    case 'task.succeeded':
      return `  ✓ ${event.taskId} (attempt ${event.attempt}, ${String(data.latencyMs)} ms)`;
    case 'task.failed':
      return `  ✗ ${event.taskId} attempt ${event.attempt}: ${short(data.error)} -> ${String(data.decision)}`;
    case 'task.retry_scheduled':
      return `  ↻ ${event.taskId} retry as attempt ${event.attempt} in ${String(data.delayMs)} ms`;
    case 'memory.decision': {
      const { decision, ...knew } = data;
      const about = event.taskId ? ` for ${event.taskId}` : '';
      return `memory: ${String(decision)}${about}${Object.keys(knew).length > 0 ? ` ${short(knew, 120)}` : ''}`;
    }
    case 'goal.succeeded':
      return `goal succeeded in ${short((data.stats as { durationMs?: number } | undefined)?.durationMs ?? null)} ms`;
    case 'goal.failed':
      return `goal failed: ${String(data.reason)}`;
    case 'goal.cancelled':
      return 'goal cancelled';
  }
}
