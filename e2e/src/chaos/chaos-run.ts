import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode, JsonObject, ResultMessage, TaskMessage, TopicRegistry } from '@agentos/contracts';
import { ServiceProcess, uniqueName, waitFor } from '@agentos/test-kit';
import { Admin, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { RecordLog } from '../support/record-log';
import { GoalTracker, TaskRef } from './goal-tracker';
import { IdempotentEffectsServer } from './idempotent-effects-server';
import { ChaosGoal, chaosWorkload, expectedFileContent, RETRIED_FAULTS, sha256, workloadFigures } from './workload';
import { WriterLog } from './writer-log';

export type ServiceRole = 'supervisor' | 'io' | 'logic';

const SERVICE_OF: Record<ServiceRole, 'supervisor' | 'worker-io' | 'worker-logic'> = { supervisor: 'supervisor', io: 'worker-io', logic: 'worker-logic' };

/** Tools running at once in each worker instance; the supervisor's pool limit is this times the instances of a type. */
const WORKER_CONCURRENCY = 16;
const PARTITIONS = 4;

export interface ChaosRunOptions {
  readonly scenario: string;
  readonly seed: number;
  readonly goals: number;
  /** Bootstrap servers of the broker the services, readers and producer use. */
  readonly brokers: readonly string[];
  /** Worker instances per type the scenario runs at once (sets the supervisor's pool limit). */
  readonly instancesPerType: number;
}

/** One disruption: what was hit, when, and what was in flight then. */
export interface KillRecord {
  readonly what: string;
  /** Only tasks of this worker type were exposed (a worker kill); every type when undefined. */
  readonly workerType: string | undefined;
  readonly at: number;
  readonly succeededBefore: number;
  readonly inFlight: readonly TaskRef[];
  /** The broker's port closed (a broker restart). */
  downAt?: number;
  /** The victim (or the broker) was started again / serves again. */
  backAt?: number;
  /** A replacement worker's id, to see when it serves. */
  replacementId?: string;
  /** Figures of the scenario's own about this disruption, printed with it. */
  details?: Record<string, string | number | null>;
}

export interface ChaosReport {
  readonly scenario: string;
  readonly seed: number;
  readonly wallMs: number;
  readonly goals: Record<string, number>;
  readonly tasks: Record<string, number>;
  readonly faults: { injected: Record<string, number>; failedAttemptsSeen: Record<string, number> };
  readonly effects: { http: Record<string, number>; fsWrite: Record<string, number> };
  /** The runs topic as readers fold it: claims, records, and per writer those fenced or written from stale state. */
  readonly journal: { claims: number; records: number; fenced: Record<string, number>; stale: Record<string, number> };
  readonly kills: ReadonlyArray<Record<string, string | number | null>>;
}

/**
 * One chaos scenario's world: its own topic namespace and sandbox folder, the services as OS
 * processes, the idempotent HTTP API, readers of the events, tasks, results, goals and DLQ
 * topics, and the workload. Scenarios start services, submit goals and hit things; `finish`
 * tallies and checks everything independently of the services' own word.
 */
export class ChaosRun {
  readonly namespace = uniqueName('chaos');
  readonly topics: TopicRegistry;
  readonly sandbox = mkdtempSync(join(tmpdir(), 'agentos-chaos-io-'));
  readonly workload: ChaosGoal[];
  readonly tracker = new GoalTracker();
  readonly kills: KillRecord[] = [];
  readonly processes: ServiceProcess[] = [];
  readonly startedAt = Date.now();
  private readonly submitted: ChaosGoal[] = [];
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private admin: Admin | undefined;
  private logs: { events: RecordLog; tasks: RecordLog; results: RecordLog; goals: RecordLog; dlq: RecordLog } | undefined;
  private readonly closeHooks: Array<() => Promise<void>> = [];
  private writerLog: WriterLog | undefined;
  /** Processes SIGSTOPped and not continued yet: they get SIGCONT before anything else at close. */
  private readonly stopped = new Set<ServiceProcess>();

  private constructor(
    readonly options: ChaosRunOptions,
    readonly api: IdempotentEffectsServer,
  ) {
    this.topics = new TopicRegistry({ namespace: this.namespace, workerTypes: ['io', 'logic'], goalPartitions: PARTITIONS, taskPartitions: PARTITIONS });
    this.workload = chaosWorkload({ seed: options.seed, goals: options.goals, goalIdPrefix: uniqueName(options.scenario), effectsUrl: api.url });
    this.kafka = new Kafka({
      brokers: [...options.brokers],
      clientId: uniqueName('chaos-test'),
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 100 },
    });
  }

  static async start(options: ChaosRunOptions): Promise<ChaosRun> {
    return new ChaosRun(options, await IdempotentEffectsServer.start());
  }

  /** Runs at close, after the services are stopped (e.g. stopping a broker of the scenario's own). */
  onClose(hook: () => Promise<void>): void {
    this.closeHooks.push(hook);
  }

  env(role: ServiceRole, id: string): Record<string, string> {
    const base = {
      AGENTOS_TRANSPORT: 'kafka',
      KAFKA_BROKERS: this.options.brokers.join(','),
      AGENTOS_TOPIC_NAMESPACE: this.namespace,
      AGENTOS_GOAL_PARTITIONS: String(PARTITIONS),
      AGENTOS_TASK_PARTITIONS: String(PARTITIONS),
      // Fast failover: a killed member leaves its groups after 6 s instead of 30.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    };
    if (role === 'supervisor') {
      return {
        ...base,
        SUPERVISOR_INSTANCE_ID: id,
        // A lost task is retried a few seconds later; a kill may cost several attempts of one task.
        SUPERVISOR_TASK_TIMEOUT_MS: '3000',
        SUPERVISOR_DEADLINE_GRACE_MS: '500',
        SUPERVISOR_MAX_ATTEMPTS: '10',
        SUPERVISOR_RETRY_BASE_MS: '100',
        SUPERVISOR_RETRY_MAX_MS: '2000',
        SUPERVISOR_POOL_CONCURRENCY: String(WORKER_CONCURRENCY * this.options.instancesPerType),
        SUPERVISOR_CAPABILITY_WAIT_MS: '30000',
        // The scenarios count dispatches against the failure policy table alone.
        SUPERVISOR_MEMORY: 'off',
      };
    }
    const worker = { ...base, WORKER_ID: id, WORKER_CONCURRENCY: String(WORKER_CONCURRENCY), WORKER_FAULT_INJECTION: 'true' };
    return role === 'io' ? { ...worker, IO_FS_ROOT: this.sandbox, IO_HTTP_ALLOWED_HOSTS: this.api.allowedHost } : worker;
  }

  /** Starts a service process and waits until it serves; it is stopped at close whatever happens. */
  async launch(role: ServiceRole, id: string): Promise<ServiceProcess> {
    const service = new ServiceProcess(SERVICE_OF[role], this.env(role, id));
    this.processes.push(service);
    return service.ready(120_000);
  }

  /** Starts reading the topics (they exist once a service has started) and connects the goal producer. */
  async observe(): Promise<void> {
    const topics = this.topics;
    const events = new RecordLog(this.kafka, [topics.events()], (record) => {
      const decoded = decode(record.topic, record.value);
      if (decoded.ok && decoded.message.kind === 'event') this.tracker.add(decoded.message);
    });
    this.logs = {
      events,
      tasks: new RecordLog(this.kafka, [topics.tasks('io'), topics.tasks('logic')]),
      results: new RecordLog(this.kafka, [topics.results()]),
      goals: new RecordLog(this.kafka, [topics.goals()]),
      dlq: new RecordLog(this.kafka, [topics.dlq()]),
    };
    this.writerLog = new WriterLog(this.kafka, topics, ['io', 'logic']);
    await Promise.all([...Object.values(this.logs).map((log) => log.start()), this.writerLog.start()]);
    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.admin = this.kafka.admin();
    await this.admin.connect();
  }

  /** Who wrote what on the runs, tasks and events topics (once `observe` started). */
  get writers(): WriterLog {
    if (!this.writerLog) throw new Error('observe() first');
    return this.writerLog;
  }

  /** Submits goals of the workload, in order, from where the last call stopped. */
  async submit(count: number): Promise<void> {
    const goals = this.workload.slice(this.submitted.length, this.submitted.length + count);
    for (let i = 0; i < goals.length; i += 50) {
      const chunk = goals.slice(i, i + 50);
      await this.producer!.send({ topic: this.topics.goals(), acks: -1, messages: chunk.map((goal) => ({ key: goal.goalId, value: encode(goal.message) })) });
    }
    this.submitted.push(...goals);
  }

  get submittedCount(): number {
    return this.submitted.length;
  }

  /** Tasks of the goals submitted so far. */
  get plannedTasks(): number {
    return workloadFigures(this.submitted).tasks;
  }

  allTerminal(): boolean {
    return this.tracker.terminalCount(this.submitted.map((goal) => goal.goalId)) === this.submitted.length;
  }

  /** A one-line account of where the load is, for failure messages. */
  progress(): string {
    const ids = this.submitted.map((goal) => goal.goalId);
    return `${this.tracker.succeededTasks} of ${this.plannedTasks} tasks succeeded, ${this.tracker.terminalCount(ids)} of ${ids.length} goals terminal, in flight io ${this.tracker.inFlight('io')} logic ${this.tracker.inFlight('logic')}, ${this.tracker.events} events`;
  }

  /** Waits on a condition, failing with where the load stands. */
  async until(description: string, condition: () => boolean, timeoutMs: number): Promise<void> {
    await waitFor(condition, { timeoutMs, intervalMs: 20, description }).catch((error: Error) => {
      throw new Error(`${error.message}; ${this.progress()}`);
    });
  }

  /**
   * Waits until `share` of the submitted goals' tasks succeeded while at least `inFlight` tasks
   * (of `workerType`) are running, one of them a `withTask` task when given (e.g. an HTTP post).
   */
  async untilProgress(share: number, inFlight: number, options: { workerType?: string; withTask?: string; timeoutMs?: number } = {}): Promise<void> {
    const { workerType, withTask, timeoutMs = 120_000 } = options;
    const target = Math.ceil(this.plannedTasks * share);
    await this.until(
      `${target} tasks succeeded with ${inFlight}+ ${workerType ?? 'any'} tasks in flight${withTask ? `, a ${withTask} among them` : ''}`,
      () =>
        this.tracker.succeededTasks >= target &&
        this.tracker.inFlight(workerType) >= inFlight &&
        (withTask === undefined || this.tracker.inFlightTasks(workerType).some((ref) => ref.taskId === withTask)),
      timeoutMs,
    );
  }

  /** SIGKILLs a service process, noting what was in flight (of `workerType`, or everything). */
  async kill(service: ServiceProcess, workerType: string | undefined): Promise<KillRecord> {
    const id = idOf(service);
    const record = this.disruption(`SIGKILL ${service.name} ${id}`, workerType);
    const status = await service.kill('SIGKILL');
    if (status.signal !== 'SIGKILL') throw new Error(`${service.name} ${id} ended with ${JSON.stringify(status)}, not by SIGKILL`);
    return record;
  }

  /**
   * SIGSTOPs a service process: it keeps its sockets, timers and state but runs nothing, like a
   * long GC pause or a frozen VM; its group sessions expire meanwhile. `resume` continues it.
   */
  pause(service: ServiceProcess, workerType: string | undefined): KillRecord {
    const record = this.disruption(`SIGSTOP ${service.name} ${idOf(service)}`, workerType);
    this.signal(service, 'SIGSTOP');
    this.stopped.add(service);
    return record;
  }

  /** SIGCONTs a process `pause` stopped: its timers fire at once, all that was due while it was stopped. */
  resume(service: ServiceProcess, record: KillRecord): void {
    this.signal(service, 'SIGCONT');
    this.stopped.delete(service);
    record.backAt = Date.now();
  }

  private signal(service: ServiceProcess, signal: NodeJS.Signals): void {
    if (service.pid === undefined || service.exited) throw new Error(`${service.name} ${idOf(service)} is not running (${JSON.stringify(service.exitStatus)}): cannot send ${signal}`);
    process.kill(service.pid, signal);
  }

  /** Notes a disruption about to happen: now, and what is in flight. */
  disruption(what: string, workerType: string | undefined): KillRecord {
    const record: KillRecord = {
      what,
      workerType,
      at: Date.now(),
      succeededBefore: this.tracker.succeededTasks,
      inFlight: this.tracker.inFlightTasks(workerType),
    };
    this.kills.push(record);
    return record;
  }

  /** Starts a new process in place of a killed one and waits until it serves. */
  async replace(dead: ServiceProcess, record: KillRecord, overrides: Record<string, string> = {}): Promise<ServiceProcess> {
    const next = dead.respawn(overrides);
    this.processes.push(next);
    await next.ready(120_000);
    record.backAt = Date.now();
    record.replacementId = next.env.WORKER_ID;
    return next;
  }

  /**
   * Waits until every submitted goal is terminal, or until nothing at all has happened for
   * `stallMs` (then `finish` reports which goals are not), or `capMs` passed.
   */
  async untilAllTerminal(stallMs = 45_000, capMs = 300_000): Promise<void> {
    await waitFor(() => this.allTerminal() || Date.now() - this.tracker.lastEventSeenAt > stallMs, {
      timeoutMs: capMs,
      intervalMs: 100,
      description: 'every goal to be terminal',
    }).catch(() => undefined);
  }

  /**
   * Reads everything the topics hold, counts, and checks every goal, effect and file; `check`,
   * the scenario's own, runs once everything is read (it may set details of the disruptions).
   */
  async finish(check?: () => Promise<string[]>): Promise<{ report: ChaosReport; problems: string[] }> {
    const problems: string[] = [];
    if (this.logs && this.admin) {
      for (const log of Object.values(this.logs)) await log.catchUp(this.admin).catch((error: Error) => problems.push(error.message));
      await this.writerLog?.catchUp(this.admin).catch((error: Error) => problems.push(error.message));
    }
    if (check) problems.push(...(await check().catch((error: Error) => [`the scenario's check failed: ${error.stack ?? error.message}`])));
    const tasks = decodeAll<TaskMessage>(this.logs?.tasks, 'task');
    const results = decodeAll<ResultMessage>(this.logs?.results, 'result');
    const partitionOf = new Map((this.logs?.goals.records ?? []).map((record) => [record.key, record.partition]));

    // Goals: every one terminal, in the state it was built for, with the outputs computed here.
    const status: Record<string, number> = { submitted: this.submitted.length, succeeded: 0, failed: 0, cancelled: 0, rejected: 0, notTerminal: 0 };
    const notTerminal: string[] = [];
    for (const goal of this.submitted) {
      const terminal = this.tracker.terminal(goal.goalId);
      if (!terminal) {
        status.notTerminal++;
        notTerminal.push(goal.goalId);
        continue;
      }
      status[terminal.type.slice('goal.'.length)]++;
      if (goal.designedToFail) {
        if (terminal.type !== 'goal.failed' || terminal.data?.failedTask !== 'hold-b') {
          problems.push(`${goal.goalId} (built to fail at hold-b) ended ${terminal.type} ${JSON.stringify(terminal.data?.failedTask ?? terminal.data?.reason ?? null)}`);
        }
      } else if (terminal.type !== 'goal.succeeded') {
        problems.push(`${goal.goalId} ended ${terminal.type}: ${String(terminal.data?.reason ?? '')}`.slice(0, 400));
      } else {
        const mismatch = this.checkOutputs(goal, terminal.data?.outputs as JsonObject | undefined);
        if (mismatch) problems.push(`${goal.goalId} succeeded with wrong outputs: ${mismatch}`);
      }
    }
    if (notTerminal.length > 0) {
      const byPartition: Record<string, number> = {};
      for (const goalId of notTerminal) byPartition[String(partitionOf.get(goalId) ?? '?')] = (byPartition[String(partitionOf.get(goalId) ?? '?')] ?? 0) + 1;
      const lastEvents: Record<string, number> = {};
      for (const goalId of notTerminal) lastEvents[this.tracker.lastEvent(goalId) ?? 'none'] = (lastEvents[this.tracker.lastEvent(goalId) ?? 'none'] ?? 0) + 1;
      problems.push(
        `${notTerminal.length} of ${this.submitted.length} goals never became terminal; by goals-topic partition ${JSON.stringify(byPartition)}; ` +
          `their last event ${JSON.stringify(lastEvents)}; e.g. ${notTerminal.slice(0, 5).join(', ')}`,
      );
    }

    // Side effects at the HTTP API: once per goal, under the goal's key, for posts that ran.
    const goalsById = new Map(this.submitted.map((goal) => [goal.goalId, goal]));
    const postsDispatched = new Set(tasks.filter((task) => task.taskId === 'post').map((task) => task.goalId));
    const postsSucceeded = new Set(results.filter((result) => result.taskId === 'post' && result.status === 'succeeded').map((result) => result.goalId));
    const effectGoals = new Map<string, number>();
    for (const effect of this.api.effects.values()) {
      const goalId = effect.key.endsWith(':post') ? effect.key.slice(0, -':post'.length) : effect.key;
      const goal = goalsById.get(goalId);
      effectGoals.set(goalId, (effectGoals.get(goalId) ?? 0) + 1);
      if (!goal || effect.key !== `${goalId}:post`) problems.push(`effect under an unexpected key ${effect.key}`);
      else if (effect.body !== JSON.stringify(goal.expected.post)) problems.push(`effect ${effect.key} with body ${effect.body}, expected ${JSON.stringify(goal.expected.post)}`);
      if (!postsDispatched.has(goalId)) problems.push(`effect ${effect.key} applied but that post task was never dispatched`);
    }
    for (const [goalId, count] of effectGoals) if (count !== 1) problems.push(`${count} effects applied for goal ${goalId}`);
    if (this.api.effects.size !== postsSucceeded.size) {
      problems.push(`${this.api.effects.size} effects applied at the HTTP API, but ${postsSucceeded.size} post tasks succeeded`);
    }
    for (const goalId of postsSucceeded) if (!effectGoals.has(goalId)) problems.push(`post of ${goalId} succeeded without an effect at the API`);
    if (this.api.conflicts > 0) problems.push(`${this.api.conflicts} requests reused a key with another body`);
    if (this.api.withoutKey > 0) problems.push(`${this.api.withoutKey} requests came without an Idempotency-Key`);

    // Files: exactly one per succeeded goal, with the exact content; nothing for any other goal.
    const outDir = join(this.sandbox, 'out');
    const entries = safeReaddir(outDir);
    const files = entries.filter((name) => !name.startsWith('.'));
    const tempFilesLeft = entries.length - files.length;
    const succeededIds = new Set(this.submitted.filter((goal) => this.tracker.terminal(goal.goalId)?.type === 'goal.succeeded').map((goal) => goal.goalId));
    for (const name of files) {
      const goalId = name.replace(/\.txt$/, '');
      if (!succeededIds.has(goalId)) problems.push(`file out/${name} exists, but goal ${goalId} did not succeed`);
    }
    for (const goalId of succeededIds) {
      const goal = goalsById.get(goalId)!;
      const receipt = this.api.effects.get(`${goalId}:post`)?.receipt;
      let content: string | undefined;
      try {
        content = readFileSync(join(this.sandbox, goal.expected.file), 'utf8');
      } catch {
        problems.push(`${goal.expected.file} is missing for succeeded goal ${goalId}`);
        continue;
      }
      if (receipt === undefined || content !== expectedFileContent(goal, receipt)) problems.push(`${goal.expected.file} holds ${JSON.stringify(content)}`);
    }
    const ledgerEntries = safeReaddir(join(this.sandbox, '.agentos', 'idempotency')).filter((name) => name.endsWith('.json')).length;
    if (ledgerEntries !== files.length) problems.push(`${ledgerEntries} fs.write ledger entries for ${files.length} files`);

    const report = this.report({ status, tasks, results, files: files.length, tempFilesLeft, ledgerEntries });
    if (problems.length > 0) problems.push(`service logs: ${this.saveServiceLogs()}`);
    return { report, problems };
  }

  print(report: ChaosReport, problems: readonly string[]): void {
    const lines = [
      `[chaos] ${report.scenario}: ${(report.wallMs / 1000).toFixed(1)} s, seed ${report.seed}`,
      `  goals    ${JSON.stringify(report.goals)}`,
      `  tasks    ${JSON.stringify(report.tasks)}`,
      `  faults   ${JSON.stringify(report.faults)}`,
      `  effects  ${JSON.stringify(report.effects)}`,
      `  journal  ${JSON.stringify(report.journal)}`,
      ...report.kills.map((kill) => `  kill     ${JSON.stringify(kill)}`),
      `  problems ${problems.length}${problems.length > 0 ? `:\n    ${problems.slice(0, 25).join('\n    ')}` : ''}`,
      `CHAOS_REPORT ${JSON.stringify({ ...report, problems: problems.length })}`,
    ];
    console.log(lines.join('\n'));
  }

  async close(): Promise<void> {
    const quietly = async (work: () => Promise<unknown> | undefined): Promise<void> => void (await Promise.resolve(work()).catch(() => undefined));
    // A stopped process would hold SIGTERM pending forever (and SIGKILL would leave its group sessions to expire): continue it first.
    for (const service of this.stopped) {
      try {
        if (service.pid !== undefined && !service.exited) process.kill(service.pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    this.stopped.clear();
    await Promise.all(this.processes.map((service) => quietly(() => service.stop(20_000))));
    await Promise.all(Object.values(this.logs ?? {}).map((log) => quietly(() => log.stop())));
    await quietly(() => this.writerLog?.stop());
    await quietly(() => this.producer?.disconnect());
    await quietly(() => this.admin?.disconnect());
    await quietly(() => this.api.close());
    for (const hook of this.closeHooks) await quietly(hook);
    rmSync(this.sandbox, { recursive: true, force: true });
  }

  /** Every service process's output, one file each, for whoever investigates a failure. */
  private saveServiceLogs(): string {
    const dir = join(tmpdir(), `agentos-chaos-logs-${this.namespace}`);
    mkdirSync(dir, { recursive: true });
    this.processes.forEach((service, index) => {
      const id = idOf(service);
      const status = service.exitStatus ? JSON.stringify(service.exitStatus) : 'running';
      writeFileSync(join(dir, `${index}-${service.name}-${id}.log`), `pid ${service.pid}, ${status}\n${service.log}`);
    });
    return dir;
  }

  private checkOutputs(goal: ChaosGoal, outputs: JsonObject | undefined): string | undefined {
    if (!outputs) return 'no outputs';
    const receipt = this.api.effects.get(`${goal.goalId}:post`)?.receipt;
    if (receipt === undefined) return 'no effect at the HTTP API';
    const text = expectedFileContent(goal, receipt);
    const write = outputs.write as JsonObject | undefined;
    const seal = outputs.seal as JsonObject | undefined;
    const checks: Array<[string, unknown, unknown]> = [
      ['sum', outputs.sum, { value: goal.expected.sum, type: 'number' }],
      ['stats', outputs.stats, { result: goal.expected.stats }],
      ['render', outputs.render, { text }],
      ['write', write && { path: write.path, bytes: write.bytes, sha256: write.sha256 }, { path: goal.expected.file, bytes: Buffer.byteLength(text), sha256: sha256(text) }],
      ['seal', seal?.output, sha256(text)],
    ];
    for (const [name, actual, expected] of checks) {
      if (JSON.stringify(actual) !== JSON.stringify(expected)) return `${name} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
    }
    return undefined;
  }

  private report(tally: {
    status: Record<string, number>;
    tasks: TaskMessage[];
    results: ResultMessage[];
    files: number;
    tempFilesLeft: number;
    ledgerEntries: number;
  }): ChaosReport {
    const distinct = <T>(items: readonly T[], key: (item: T) => string): number => new Set(items.map(key)).size;
    const taskKey = (message: { goalId: string; taskId: string }): string => `${message.goalId}/${message.taskId}`;
    const attemptKey = (message: { goalId: string; taskId: string; attempt: number }): string => `${taskKey(message)}#${message.attempt}`;
    const figures = workloadFigures(this.submitted);
    const failedAttemptsSeen: Record<string, number> = {};
    for (const [code, count] of this.tracker.failuresByCode) failedAttemptsSeen[code] = count;
    const injected: Record<string, number> = {};
    for (const kind of RETRIED_FAULTS) injected[kind] = figures.faults[kind];
    injected.logic_error = figures.designedToFail;
    return {
      scenario: this.options.scenario,
      seed: this.options.seed,
      wallMs: Date.now() - this.startedAt,
      goals: {
        ...tally.status,
        designedToFail: figures.designedToFail,
        restoredEvents: this.tracker.restored.length,
        duplicateTerminalEvents: this.tracker.extraTerminals.length,
        conflictingTerminalEvents: this.tracker.extraTerminals.filter((extra) => extra.type !== extra.first).length,
      },
      tasks: {
        planned: figures.tasks,
        succeeded: this.tracker.succeededTasks,
        taskRecords: tally.tasks.length,
        dispatchesBeyondOnePerTask: tally.tasks.length - distinct(tally.tasks, taskKey),
        sameAttemptRepublished: tally.tasks.length - distinct(tally.tasks, attemptKey),
        maxAttempt: tally.tasks.reduce((max, task) => Math.max(max, task.attempt), 0),
        results: tally.results.length,
        duplicateResults: tally.results.length - distinct(tally.results, attemptKey),
        dlqRecords: this.logs?.dlq.records.length ?? 0,
      },
      faults: { injected, failedAttemptsSeen },
      effects: {
        http: {
          applied: this.api.effects.size,
          requests: this.api.requests,
          duplicatesAbsorbed: this.api.duplicatesAbsorbed,
          conflicts: this.api.conflicts,
        },
        fsWrite: {
          files: tally.files,
          ledgerEntries: tally.ledgerEntries,
          duplicatesAbsorbed: tally.results.filter((result) => result.taskId === 'write' && result.status === 'succeeded' && (result.output as JsonObject).applied === false).length,
          tempFilesLeft: tally.tempFilesLeft,
        },
      },
      journal: this.writerLog?.tally() ?? { claims: 0, records: 0, fenced: {}, stale: {} },
      kills: this.kills.map((kill) => this.recovery(kill)),
    };
  }

  /** How long the load took to get past a disruption, from the supervisor's own event times. */
  private recovery(kill: KillRecord): Record<string, string | number | null> {
    const since = (at: number | undefined): number | null => (at === undefined ? null : at - kill.at);
    // Tasks the tracker still saw in flight but that had in fact finished before the disruption were not hit by it.
    const affected = kill.inFlight.filter((ref) => (this.tracker.succeededAt(ref) ?? Infinity) >= kill.at);
    const done = affected.map((ref) => this.tracker.succeededAt(ref) ?? this.tracker.terminalAt(ref.goalId));
    const finished = done.filter((at): at is number => at !== undefined);
    const replacementFirst = kill.replacementId === undefined ? undefined : this.tracker.succeeded.find((entry) => entry.workerId === kill.replacementId)?.at;
    // Goals a supervisor took over from its journal after this disruption (and before the next one).
    const next = this.kills[this.kills.indexOf(kill) + 1]?.at ?? Infinity;
    const restored = this.tracker.restored.filter((entry) => entry.at >= kill.at && entry.at < next);
    const restoredEnds = restored.map((entry) => this.tracker.terminalAt(entry.goalId));
    return {
      what: kill.what,
      afterSucceededTasks: kill.succeededBefore,
      inFlightAtKill: affected.length,
      backMs: since(kill.backAt),
      ...(kill.downAt !== undefined && kill.backAt !== undefined ? { portClosedForMs: kill.backAt - kill.downAt } : {}),
      firstTaskSucceededMs: since(this.tracker.firstSucceededSince(kill.at)),
      firstAffectedDoneMs: finished.length > 0 ? Math.min(...finished) - kill.at : null,
      allAffectedDoneMs: finished.length === affected.length && finished.length > 0 ? Math.max(...finished) - kill.at : null,
      affectedNeverDone: affected.length - finished.length,
      ...(kill.replacementId !== undefined ? { replacementFirstTaskMs: since(replacementFirst) } : {}),
      goalsRestored: restored.length,
      firstRestoredMs: restored.length > 0 ? Math.min(...restored.map((entry) => entry.at)) - kill.at : null,
      restoredGoalsTerminalMs: restored.length > 0 && restoredEnds.every((at) => at !== undefined) ? Math.max(...(restoredEnds as number[])) - kill.at : null,
      ...kill.details,
    };
  }
}

function idOf(service: ServiceProcess): string {
  return service.env.WORKER_ID ?? service.env.SUPERVISOR_INSTANCE_ID ?? service.name;
}

function decodeAll<M>(log: RecordLog | undefined, kind: string): M[] {
  const messages: M[] = [];
  for (const record of log?.records ?? []) {
    const decoded = decode(record.topic, record.value);
    if (decoded.ok && decoded.message.kind === kind) messages.push(decoded.message as M);
  }
  return messages;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
