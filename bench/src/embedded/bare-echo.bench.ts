import { ResultMessage, TaskMessage } from '@agentos/contracts';
import { typicalResult, typicalTask } from '../messages/typical-messages';
import { nowMs, perSecond } from '../stats/clock';
import { medianBy, repeat } from '../stats/rounds';
import { Completion, withDeadline } from '../support/deadline';

export interface BareEchoRun {
  readonly messages: number;
  readonly window: number;
  readonly durationMs: number;
  readonly perSecond: number;
}

/**
 * The cheapest in-process round trip with no AgentOS code: a driver keeps `window` message
 * objects (Task-shaped) in flight to an async echo handler through a queue drained on a
 * microtask; each reply (Result-shaped) goes back through a second queue, and lets the
 * driver send the next one.
 */
async function echoOnce(count: number, window: number): Promise<number> {
  const taskTemplate = typicalTask();
  const resultTemplate = typicalResult(taskTemplate);
  const requests: TaskMessage[] = [];
  const replies: ResultMessage[] = [];
  let requestHead = 0;
  let replyHead = 0;
  let sent = 0;
  let received = 0;
  let pumpScheduled = false;
  let drainScheduled = false;
  const done = new Completion<void>();

  const handler = async (task: TaskMessage): Promise<ResultMessage> => ({ ...resultTemplate, taskId: task.taskId });

  const drainReplies = (): void => {
    drainScheduled = false;
    while (replyHead < replies.length) {
      replies[replyHead++] = undefined as unknown as ResultMessage;
      received++;
      if (sent < count) send();
    }
    if (received === count) done.resolve();
  };
  const pumpRequests = (): void => {
    pumpScheduled = false;
    while (requestHead < requests.length) {
      const task = requests[requestHead]!;
      requests[requestHead++] = undefined as unknown as TaskMessage;
      void handler(task).then((result) => {
        replies.push(result);
        if (!drainScheduled) {
          drainScheduled = true;
          queueMicrotask(drainReplies);
        }
      });
    }
  };
  const send = (): void => {
    requests.push({ ...taskTemplate, taskId: `t${sent++}` });
    if (!pumpScheduled) {
      pumpScheduled = true;
      queueMicrotask(pumpRequests);
    }
  };

  const started = nowMs();
  while (sent < Math.min(window, count)) send();
  await done.promise;
  return nowMs() - started;
}

/** For each size, the median of `rounds` runs. */
export async function runBareEcho(sizes: readonly number[], window: number, rounds: number, timeoutMs: number): Promise<BareEchoRun[]> {
  await echoOnce(Math.max(...sizes), window); // warm-up
  const runs: BareEchoRun[] = [];
  for (const messages of sizes) {
    const durations = await repeat(rounds, () => withDeadline(echoOnce(messages, window), timeoutMs, `the bare echo of ${messages} messages`));
    const durationMs = medianBy(durations, (duration) => -duration);
    runs.push({ messages, window, durationMs, perSecond: perSecond(messages, durationMs) });
  }
  return runs;
}
