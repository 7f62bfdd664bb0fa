/** What `npm run bench` measures and how much, from the environment (defaults: about 2-4 minutes on 2 cores). */
export const SCENARIOS = ['kafka', 'raw', 'embedded', 'bare', 'validation', 'memory-search'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** Noop tasks run through AgentOS on Kafka (and messages through the raw echo), split across goals. */
  readonly kafkaTasks: number;
  /** Goals the Kafka tasks are split into: one goal message must stay under 1 MB. */
  readonly kafkaGoals: number;
  /** Tasks in flight per goal (SUPERVISOR_GOAL_CONCURRENCY); the raw echo keeps window x goals in flight. */
  readonly window: number;
  /** Partitions of every Kafka topic of both Kafka scenarios. */
  readonly partitions: number;
  /** SUPERVISOR_TASK_EVENTS of the Kafka supervisor: `all` (default) or `failures` (latency then from goal results). */
  readonly taskEvents: 'all' | 'failures';
  /** Tasks of the small goal (and raw messages) run first to warm both sides up. */
  readonly warmupTasks: number;
  /** Measured rounds per scenario (and size); the report shows the median round and the range. */
  readonly rounds: number;
  /** In flight in the light-load latency probe of both Kafka scenarios. */
  readonly probeInFlight: number;
  /** Tasks (messages) of the light-load latency probe. */
  readonly probeTasks: number;
  /** One goal of each size runs on the in-process bus. */
  readonly embeddedSizes: readonly number[];
  /** Tasks in flight in the embedded goal (SUPERVISOR_GOAL_CONCURRENCY, WORKER_CONCURRENCY) and in the bare echo. */
  readonly embeddedWindow: number;
  /** Longest one scenario may take before it fails as stalled. */
  readonly scenarioTimeoutMs: number;
  readonly scenarios: ReadonlySet<Scenario>;
  /** When set, child processes write V8 CPU profiles (.cpuprofile) into this folder. */
  readonly cpuProfileDir: string | undefined;
  /** Extra NODE_OPTIONS for every child process (services and echo worker), e.g. GC tuning experiments; shown in the header. */
  readonly childNodeOptions: string | undefined;
  /** Shown in the header when the broker came from KAFKA_BROKERS (its version cannot be asked cheaply). */
  readonly brokerVersion: string | undefined;
  /** SUPERVISOR_MEMORY of the measured supervisors: `on` (the product's default) or `off`, for an A/B of what memory costs. */
  readonly supervisorMemory: 'on' | 'off';
}

function memoryOption(env: NodeJS.ProcessEnv): 'on' | 'off' {
  const raw = env.BENCH_SUPERVISOR_MEMORY?.trim() || 'on';
  if (raw !== 'on' && raw !== 'off') throw new Error(`BENCH_SUPERVISOR_MEMORY must be on or off, got "${raw}"`);
  return raw;
}

function taskEventsOption(env: NodeJS.ProcessEnv): 'all' | 'failures' {
  const raw = env.BENCH_TASK_EVENTS?.trim() || 'all';
  if (raw !== 'all' && raw !== 'failures') throw new Error(`BENCH_TASK_EVENTS must be all or failures, got "${raw}"`);
  return raw;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function intList(env: NodeJS.ProcessEnv, name: string, fallback: readonly number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isInteger(value) || value < 1 || value > 100_000)) {
    throw new Error(`${name} must be a comma-separated list of integers in 1..100000 (the plan limit), got "${raw}"`);
  }
  return values.sort((a, b) => a - b);
}

function scenarioSet(env: NodeJS.ProcessEnv): Set<Scenario> {
  const raw = env.BENCH_SCENARIOS;
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'all') return new Set(SCENARIOS);
  const names = raw.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
  const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_SCENARIOS: unknown ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')}, or all)`);
  return new Set(names as Scenario[]);
}

export function readOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const kafkaTasks = positiveInt(env, 'BENCH_KAFKA_TASKS', 20_000);
  const kafkaGoals = positiveInt(env, 'BENCH_KAFKA_GOALS', 10);
  if (kafkaTasks / kafkaGoals > 10_000) {
    throw new Error(`BENCH_KAFKA_TASKS / BENCH_KAFKA_GOALS = ${Math.ceil(kafkaTasks / kafkaGoals)} tasks per goal; keep it under 10000 so a goal message stays under 1 MB`);
  }
  return {
    kafkaTasks,
    kafkaGoals,
    window: positiveInt(env, 'BENCH_WINDOW', 64),
    taskEvents: taskEventsOption(env),
    partitions: positiveInt(env, 'BENCH_PARTITIONS', 6),
    warmupTasks: positiveInt(env, 'BENCH_WARMUP_TASKS', 1_000),
    rounds: positiveInt(env, 'BENCH_ROUNDS', 5),
    probeInFlight: positiveInt(env, 'BENCH_PROBE_IN_FLIGHT', 8),
    probeTasks: positiveInt(env, 'BENCH_PROBE_TASKS', 1_000),
    embeddedSizes: intList(env, 'BENCH_EMBEDDED_SIZES', [10_000, 50_000, 100_000]),
    // The supervisor's default SUPERVISOR_GOAL_CONCURRENCY: what a goal gets unless configured.
    embeddedWindow: positiveInt(env, 'BENCH_EMBEDDED_WINDOW', 256),
    scenarioTimeoutMs: positiveInt(env, 'BENCH_SCENARIO_TIMEOUT_MS', 180_000),
    scenarios: scenarioSet(env),
    cpuProfileDir: env.BENCH_CPU_PROF?.trim() || undefined,
    childNodeOptions: env.BENCH_CHILD_NODE_OPTIONS?.trim() || undefined,
    brokerVersion: env.BENCH_BROKER_VERSION?.trim() || undefined,
    supervisorMemory: memoryOption(env),
  };
}
