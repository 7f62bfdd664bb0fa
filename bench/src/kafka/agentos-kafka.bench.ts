import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, GoalEventMessage, TERMINAL_GOAL_EVENTS, TopicRegistry } from '@agentos/contracts';
import { ServiceProcess, uniqueName } from '@agentos/test-kit';
import { Producer } from 'kafkajs';
import { noopGoal } from '../messages/typical-messages';
import { nowMs, perSecond } from '../stats/clock';
import { cpuBetween, cpuSnapshot, CpuUsage } from '../stats/cpu-usage';
import { LatencySummary, summarize } from '../stats/percentiles';
import { medianBy, repeat } from '../stats/rounds';
import { trackChild, untrackChild } from '../support/child-processes';
import { Completion, withDeadline } from '../support/deadline';
import { EventFollower } from './event-follower';
import { benchKafka } from './kafka-settings';

export interface AgentOsKafkaSettings {
  readonly brokers: readonly string[];
  readonly tasks: number;
  readonly goals: number;
  /** SUPERVISOR_GOAL_CONCURRENCY: tasks of one goal in flight. */
  readonly window: number;
  readonly partitions: number;
  readonly warmupTasks: number;
  readonly rounds: number;
  /** Light-load probe: one goal of `probeTasks` tasks with `probeInFlight` of them in flight. */
  readonly probeTasks: number;
  readonly probeInFlight: number;
  readonly timeoutMs: number;
  /** SUPERVISOR_TASK_EVENTS of the supervisor: `all` (the default) or `failures` (two records fewer per task). */
  readonly taskEvents: 'all' | 'failures';
  readonly supervisorMemory: 'on' | 'off';
  /** Extra environment for the service processes (the CPU profiler preload, BENCH_CPU_PROF). */
  readonly childEnv?: Record<string, string>;
}

/** One measured round: every goal submitted at once, until the last one finished. */
export interface AgentOsKafkaRound {
  readonly tasks: number;
  readonly goals: number;
  readonly goalsSucceeded: number;
  /** Dispatches the finished goals report: equal to `tasks` when every task ran once. */
  readonly dispatches: number;
  readonly inFlight: number;
  readonly durationMs: number;
  readonly perSecond: number;
  /** Dispatch-to-result, measured by the supervisor (`latencyMs` of task.succeeded). */
  readonly latency: LatencySummary;
  /** Where CPU went during the round. */
  readonly cpu: CpuUsage;
}

export interface AgentOsKafkaResult {
  /** The median round by throughput. */
  readonly median: AgentOsKafkaRound;
  /** Throughput of every measured round, in order. */
  readonly roundsPerSecond: readonly number[];
  /** All rounds succeeded completely (every goal, every task dispatched once). */
  readonly allComplete: boolean;
  readonly lightLoad: AgentOsKafkaRound;
  readonly eventsDecoded: number;
}

/** Follows the goals of one round: terminal events and the latency of every task. */
class GoalRound {
  readonly done = new Completion<void>();
  readonly latencies: number[] = [];
  readonly goalLatencies: LatencySummary[] = [];
  readonly terminal = new Map<string, GoalEventMessage>();
  lastTerminalAt = 0;

  constructor(private readonly goalIds: ReadonlySet<string>) {}

  onEvent(event: GoalEventMessage, at: number): void {
    if (!this.goalIds.has(event.goalId)) return;
    if (event.type === 'task.succeeded') {
      this.latencies.push(Number(event.data?.latencyMs));
    } else if (TERMINAL_GOAL_EVENTS.includes(event.type) && !this.terminal.has(event.goalId)) {
      this.terminal.set(event.goalId, event);
      this.lastTerminalAt = at;
      const latency = (event.data?.stats as { latencyMs?: LatencySummary } | undefined)?.latencyMs;
      if (latency) this.goalLatencies.push(latency);
      if (this.terminal.size === this.goalIds.size) this.done.resolve();
    }
  }

  /**
   * Per-task latencies when task events were published; otherwise from each goal's own
   * percentiles: the median of their p50s, and the largest p99 and max (an upper bound).
   */
  latency(): LatencySummary {
    if (this.latencies.length > 0) return summarize(this.latencies);
    const p50s = summarize(this.goalLatencies.map((goal) => goal.p50));
    return {
      count: this.goalLatencies.length,
      p50: p50s.p50,
      p99: Math.max(...this.goalLatencies.map((goal) => goal.p99)),
      max: Math.max(...this.goalLatencies.map((goal) => goal.max)),
    };
  }

  get progress(): string {
    return `${this.terminal.size}/${this.goalIds.size} goals finished, ${this.latencies.length} task.succeeded events`;
  }
}

function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0)).filter((size) => size > 0);
}

function isComplete(round: AgentOsKafkaRound): boolean {
  return round.goalsSucceeded === round.goals && round.dispatches === round.tasks;
}

/**
 * AgentOS's full path on Kafka: supervisor and io worker as separate processes (from dist/),
 * goals submitted by a plain kafkajs producer, progress read off the events topic.
 */
export async function runAgentOsKafka(settings: AgentOsKafkaSettings): Promise<AgentOsKafkaResult> {
  const namespace = uniqueName('bench');
  const topics = new TopicRegistry({ namespace, workerTypes: ['io'], goalPartitions: settings.partitions, taskPartitions: settings.partitions });
  const fsRoot = mkdtempSync(join(tmpdir(), 'agentos-bench-io-'));
  const env: Record<string, string> = {
    AGENTOS_TRANSPORT: 'kafka',
    KAFKA_BROKERS: settings.brokers.join(','),
    AGENTOS_TOPIC_NAMESPACE: namespace,
    AGENTOS_WORKER_TYPES: 'io',
    AGENTOS_GOAL_PARTITIONS: String(settings.partitions),
    AGENTOS_TASK_PARTITIONS: String(settings.partitions),
    SUPERVISOR_GOAL_CONCURRENCY: String(settings.window),
    SUPERVISOR_POOL_CONCURRENCY: '1000000',
    SUPERVISOR_MAX_IN_FLIGHT: '10000',
    WORKER_CONCURRENCY: '10000',
    IO_FS_ROOT: fsRoot,
    MEMORY_DATA_DIR: join(fsRoot, 'memory'),
    SUPERVISOR_MEMORY: settings.supervisorMemory,
    SUPERVISOR_TASK_EVENTS: settings.taskEvents,
    ...settings.childEnv,
  };
  const kafka = benchKafka(settings.brokers, 'bench-agentos-driver');
  const admin = kafka.admin();
  const services: ServiceProcess[] = [];
  let producer: Producer | undefined;
  let follower: EventFollower | undefined;
  let round: GoalRound | undefined;
  try {
    // The supervisor first: it creates the namespace's topics.
    for (const name of ['supervisor', 'worker-io'] as const) {
      const service = new ServiceProcess(name, env);
      services.push(service);
      trackChild(service.pid, name);
      await service.ready(90_000);
    }
    follower = new EventFollower(kafka, topics.events(), `${namespace}.bench-follower`, (event, at) => round?.onEvent(event, at), nowMs);
    await follower.start();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const pids = Object.fromEntries(services.map((service) => [service.name, service.pid]));

    const play = async (label: string, sizes: readonly number[], maxConcurrency?: number): Promise<AgentOsKafkaRound> => {
      const goals = sizes.map((size) => noopGoal(uniqueName(`bench-${label}`), size, maxConcurrency));
      const messages = goals.map((goal) => ({ key: goal.goalId, value: encode(goal) }));
      const current = new GoalRound(new Set(goals.map((goal) => goal.goalId)));
      round = current;
      const watchdog = setInterval(() => {
        try {
          follower!.assertHealthy();
        } catch (error) {
          current.done.reject(error);
        }
      }, 500);
      const cpuBefore = cpuSnapshot(pids);
      const started = nowMs();
      try {
        await producer!.send({ topic: topics.goals(), acks: -1, messages });
        await withDeadline(current.done.promise, settings.timeoutMs, `AgentOS on Kafka, ${label} round (at the deadline: ${current.progress})`);
      } catch (error) {
        const logs = services.map((service) => `--- ${service.name} (last lines) ---\n${service.log.slice(-3_000)}`).join('\n');
        throw new Error(`${(error as Error).message}\n${logs}`);
      } finally {
        clearInterval(watchdog);
      }
      const durationMs = current.lastTerminalAt - started;
      const cpu = cpuBetween(cpuBefore, cpuSnapshot(pids));
      const succeeded = [...current.terminal.values()].filter((event) => event.type === 'goal.succeeded');
      const tasks = sizes.reduce((sum, size) => sum + size, 0);
      return {
        tasks,
        goals: sizes.length,
        goalsSucceeded: succeeded.length,
        dispatches: succeeded.reduce((sum, event) => sum + Number((event.data?.stats as { dispatches?: number } | undefined)?.dispatches ?? 0), 0),
        inFlight: Math.min(settings.window, maxConcurrency ?? Infinity) * sizes.length,
        durationMs,
        perSecond: perSecond(tasks, durationMs),
        latency: current.latency(),
        cpu,
      };
    };

    await play('warmup', [settings.warmupTasks]);
    const sizes = split(settings.tasks, settings.goals);
    const rounds = await repeat(settings.rounds, (i) => play(`measured${i + 1}`, sizes));
    const lightLoad = await play('probe', [settings.probeTasks], settings.probeInFlight);
    return {
      median: medianBy(rounds, (result) => result.perSecond),
      roundsPerSecond: rounds.map((result) => result.perSecond),
      allComplete: rounds.every(isComplete) && isComplete(lightLoad),
      lightLoad,
      eventsDecoded: follower.decoded,
    };
  } finally {
    round = undefined;
    await follower?.stop().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    for (const service of services.reverse()) {
      await service.stop().catch(() => undefined);
      untrackChild(service.pid);
    }
    await admin
      .connect()
      .then(() => admin.deleteTopics({ topics: topics.specs().map((spec) => spec.name) }))
      .catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    rmSync(fsRoot, { recursive: true, force: true });
  }
}
