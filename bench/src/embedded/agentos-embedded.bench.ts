import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestMicroservice } from '@nestjs/common';
import { GoalEventMessage, TERMINAL_GOAL_EVENTS, TopicRegistry } from '@agentos/contracts';
import { InProcessBus, startBusService, Subscription } from '@agentos/runtime';
import { supervisorService } from '@agentos/supervisor';
import { uniqueName } from '@agentos/test-kit';
import { workerIoService } from '@agentos/worker-io';
import { noopGoal } from '../messages/typical-messages';
import { nowMs, perSecond } from '../stats/clock';
import { medianBy, repeat } from '../stats/rounds';
import { Completion, withDeadline } from '../support/deadline';

export interface EmbeddedSettings {
  readonly sizes: readonly number[];
  /** SUPERVISOR_GOAL_CONCURRENCY and WORKER_CONCURRENCY. */
  readonly window: number;
  readonly warmupTasks: number;
  readonly rounds: number;
  readonly timeoutMs: number;
  readonly supervisorMemory: 'on' | 'off';
}

export interface EmbeddedRun {
  readonly tasks: number;
  readonly status: string;
  readonly durationMs: number;
  readonly perSecond: number;
  /** process.memoryUsage().heapUsed when the goal finished, runtime still up. */
  readonly heapUsedMb: number;
  /** Heap still used after the runtime closed and a full GC (only with --expose-gc). */
  readonly heapAfterGcMb: number | undefined;
  /** Throughput of every round of this size (the figures above are the median round's). */
  readonly roundsPerSecond: readonly number[];
}

const MB = 1024 * 1024;

/** The embedded composition (apps/embedded): supervisor and io worker as Nest microservices on one in-process bus. */
async function startRuntime(env: NodeJS.ProcessEnv): Promise<{ bus: InProcessBus; topics: TopicRegistry; close(): Promise<void> }> {
  const topics = new TopicRegistry({ workerTypes: ['io'] });
  const bus = new InProcessBus();
  await bus.connect();
  const services: INestMicroservice[] = [];
  for (const service of [supervisorService, workerIoService]) {
    services.push(await startBusService({ ...service(bus, topics, env), logLevels: ['warn', 'error', 'fatal'] }));
  }
  return {
    bus,
    topics,
    close: async () => {
      await Promise.all(services.map((service) => service.close()));
      await bus.close();
    },
  };
}

async function runOne(size: number, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<EmbeddedRun> {
  const runtime = await startRuntime(env);
  let subscription: Subscription | undefined;
  try {
    const goal = noopGoal(uniqueName('bench-embedded'), size);
    const finished = new Completion<{ event: GoalEventMessage; at: number }>();
    // Every event is delivered (the bus keeps what nobody consumes), as to any observer.
    subscription = await runtime.bus.subscribe(
      { topics: [runtime.topics.events()], groupId: 'bench.follower', maxInFlight: 1_024 },
      async ({ message }) => {
        if (message.kind === 'event' && message.goalId === goal.goalId && TERMINAL_GOAL_EVENTS.includes(message.type)) {
          finished.resolve({ event: message, at: nowMs() });
        }
      },
    );
    const started = nowMs();
    await runtime.bus.publish([{ topic: runtime.topics.goals(), key: goal.goalId, message: goal }]);
    const { event, at } = await withDeadline(finished.promise, timeoutMs, `the embedded goal of ${size} tasks`);
    const durationMs = at - started;
    const heapUsedMb = process.memoryUsage().heapUsed / MB;
    return { tasks: size, status: event.type, durationMs, perSecond: perSecond(size, durationMs), heapUsedMb, heapAfterGcMb: undefined, roundsPerSecond: [] };
  } finally {
    await subscription?.close();
    await runtime.close();
  }
}

function heapAfterGc(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  return process.memoryUsage().heapUsed / MB;
}

/** `rounds` goals of each size, each on a fresh runtime, after a warm-up goal (JIT) on its own runtime. */
export async function runAgentOsEmbedded(settings: EmbeddedSettings): Promise<EmbeddedRun[]> {
  const fsRoot = mkdtempSync(join(tmpdir(), 'agentos-bench-io-'));
  const env: NodeJS.ProcessEnv = {
    AGENTOS_TRANSPORT: 'in-process',
    IO_FS_ROOT: fsRoot,
    MEMORY_DATA_DIR: join(fsRoot, 'memory'),
    SUPERVISOR_MEMORY: settings.supervisorMemory,
    SUPERVISOR_GOAL_CONCURRENCY: String(settings.window),
    WORKER_CONCURRENCY: String(settings.window),
  };
  try {
    await runOne(settings.warmupTasks, env, settings.timeoutMs);
    const runs: EmbeddedRun[] = [];
    for (const size of settings.sizes) {
      const rounds = await repeat(settings.rounds, async () => {
        heapAfterGc();
        const run = await runOne(size, env, settings.timeoutMs);
        return { ...run, heapAfterGcMb: heapAfterGc() };
      });
      runs.push({ ...medianBy(rounds, (run) => run.perSecond), roundsPerSecond: rounds.map((run) => run.perSecond) });
    }
    return runs;
  } finally {
    rmSync(fsRoot, { recursive: true, force: true });
  }
}
