import { Registry } from 'prom-client';
import { AgentOsMetrics, processMetrics } from './agentos-metrics';

type Labels = Record<string, string | number>;

/** The value of one series, read through prom-client's JSON export; undefined when absent. */
async function valueOf(metrics: AgentOsMetrics, name: string, labels: Labels, metricName = name): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  if (!metric) throw new Error(`no metric ${name}`);
  const series = metric.values.find(
    (value) =>
      ((value as { metricName?: string }).metricName ?? name) === metricName &&
      Object.keys(labels).length === Object.keys(value.labels).length &&
      Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === String(expected)),
  );
  return series?.value;
}

const AGENTOS_METRIC_NAMES = [
  'agentos_goals_total',
  'agentos_tasks_total',
  'agentos_task_duration_seconds',
  'agentos_tasks_in_flight',
  'agentos_pool_concurrency_limit',
  'agentos_memory_decisions_total',
  'agentos_llm_tokens_total',
  'agentos_worker_tasks_total',
  'agentos_worker_task_duration_seconds',
  'agentos_worker_tasks_in_flight',
  'agentos_worker_concurrency_limit',
  'agentos_dead_letters_total',
  'agentos_consumer_lag_records',
  'agentos_consumer_lag_read_failures_total',
];

describe('AgentOsMetrics', () => {
  let metrics: AgentOsMetrics;
  beforeEach(() => {
    metrics = new AgentOsMetrics({ registry: new Registry() });
  });

  it('registers every AgentOS metric once, each with a unit or _total suffix and an agentos_ prefix', async () => {
    const names = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names.sort()).toEqual([...AGENTOS_METRIC_NAMES].sort());
    for (const name of names) expect(name).toMatch(/^agentos_[a-z_]+_(total|seconds|records|in_flight|limit)$/);
  });

  it('cannot be registered twice in one registry: a process shares one (processMetrics)', () => {
    expect(() => new AgentOsMetrics({ registry: metrics.registry })).toThrow(/already been registered/);
    expect(processMetrics()).toBe(processMetrics());
  });

  it('adds the default process metrics once, on demand', async () => {
    const before = (await metrics.registry.getMetricsAsJSON()).length;
    metrics.includeProcessMetrics();
    metrics.includeProcessMetrics();
    const names = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names.length).toBeGreaterThan(before);
    expect(names).toEqual(expect.arrayContaining(['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds', 'process_resident_memory_bytes']));
  });

  describe('supervisor', () => {
    it('counts goals by final status and memory decisions by kind', async () => {
      metrics.supervisor.goalFinished('succeeded');
      metrics.supervisor.goalFinished('succeeded');
      metrics.supervisor.goalFinished('rejected');
      metrics.supervisor.memoryDecision('plan_reuse');
      expect(await valueOf(metrics, 'agentos_goals_total', { status: 'succeeded' })).toBe(2);
      expect(await valueOf(metrics, 'agentos_goals_total', { status: 'rejected' })).toBe(1);
      expect(await valueOf(metrics, 'agentos_goals_total', { status: 'failed' })).toBeUndefined();
      expect(await valueOf(metrics, 'agentos_memory_decisions_total', { kind: 'plan_reuse' })).toBe(1);
    });

    it('counts tasks by status and observes dispatch-to-result latency of results, not of timeouts', async () => {
      const supervisor = metrics.supervisor;
      supervisor.taskDispatched('io', 'noop');
      supervisor.taskDispatched('io', 'noop');
      supervisor.taskDispatched('io', 'noop');
      supervisor.taskSucceeded('io', 'noop', 0.002);
      supervisor.taskFailed('io', 'noop', 0.2);
      supervisor.taskFailed('io', 'noop');
      const io = { worker_type: 'io', tool: 'noop' };
      expect(await valueOf(metrics, 'agentos_tasks_total', { ...io, status: 'dispatched' })).toBe(3);
      expect(await valueOf(metrics, 'agentos_tasks_total', { ...io, status: 'succeeded' })).toBe(1);
      expect(await valueOf(metrics, 'agentos_tasks_total', { ...io, status: 'failed' })).toBe(2);
      const histogram = 'agentos_task_duration_seconds';
      expect(await valueOf(metrics, histogram, io, `${histogram}_count`)).toBe(2);
      expect(await valueOf(metrics, histogram, io, `${histogram}_sum`)).toBeCloseTo(0.202, 10);
      expect(await valueOf(metrics, histogram, { ...io, le: 0.001 }, `${histogram}_bucket`)).toBe(0);
      expect(await valueOf(metrics, histogram, { ...io, le: 0.005 }, `${histogram}_bucket`)).toBe(1);
      expect(await valueOf(metrics, histogram, { ...io, le: 0.1 }, `${histogram}_bucket`)).toBe(1);
      expect(await valueOf(metrics, histogram, { ...io, le: 0.25 }, `${histogram}_bucket`)).toBe(2);
      expect(await valueOf(metrics, histogram, { ...io, le: '+Inf' }, `${histogram}_bucket`)).toBe(2);
    });

    it('writes the histogram in the Prometheus text format, buckets cumulative', async () => {
      metrics.supervisor.taskSucceeded('logic', 'math.evaluate', 0.003);
      metrics.supervisor.taskSucceeded('logic', 'math.evaluate', 42);
      const text = await metrics.text();
      expect(text).toContain('# TYPE agentos_task_duration_seconds histogram');
      expect(text).toContain('agentos_task_duration_seconds_bucket{le="0.001",worker_type="logic",tool="math.evaluate"} 0');
      expect(text).toContain('agentos_task_duration_seconds_bucket{le="0.005",worker_type="logic",tool="math.evaluate"} 1');
      expect(text).toContain('agentos_task_duration_seconds_bucket{le="30",worker_type="logic",tool="math.evaluate"} 1');
      expect(text).toContain('agentos_task_duration_seconds_bucket{le="60",worker_type="logic",tool="math.evaluate"} 2');
      expect(text).toContain('agentos_task_duration_seconds_bucket{le="+Inf",worker_type="logic",tool="math.evaluate"} 2');
      expect(text).toContain('agentos_task_duration_seconds_sum{worker_type="logic",tool="math.evaluate"} 42.003');
      expect(text).toContain('agentos_task_duration_seconds_count{worker_type="logic",tool="math.evaluate"} 2');
      expect(text).toContain('# TYPE agentos_tasks_total counter');
      expect(text).toContain('agentos_tasks_total{worker_type="logic",tool="math.evaluate",status="succeeded"} 2');
    });

    it('adds up LLM tokens by kind', async () => {
      metrics.supervisor.llmUsage(100, 20);
      metrics.supervisor.llmUsage(50, 5);
      expect(await valueOf(metrics, 'agentos_llm_tokens_total', { kind: 'prompt' })).toBe(150);
      expect(await valueOf(metrics, 'agentos_llm_tokens_total', { kind: 'completion' })).toBe(25);
    });

    it("reads pools' in-flight tasks and limits on scrape, summed over supervisors, until untracked", async () => {
      const pool = (limits: Record<string, number>, inFlight: Record<string, number>) => ({
        workerTypes: () => Object.keys(limits),
        limit: (workerType: string) => limits[workerType]!,
        inFlightOf: (workerType: string) => inFlight[workerType]!,
      });
      const first = pool({ io: 8, logic: 4 }, { io: 3, logic: 0 });
      const untrackFirst = metrics.supervisor.trackPools(first);
      metrics.supervisor.trackPools(pool({ io: 2 }, { io: 1 }));
      expect(await valueOf(metrics, 'agentos_pool_concurrency_limit', { worker_type: 'io' })).toBe(10);
      expect(await valueOf(metrics, 'agentos_pool_concurrency_limit', { worker_type: 'logic' })).toBe(4);
      expect(await valueOf(metrics, 'agentos_tasks_in_flight', { worker_type: 'io' })).toBe(4);
      untrackFirst();
      expect(await valueOf(metrics, 'agentos_pool_concurrency_limit', { worker_type: 'io' })).toBe(2);
      expect(await valueOf(metrics, 'agentos_pool_concurrency_limit', { worker_type: 'logic' })).toBeUndefined();
    });
  });

  describe('worker', () => {
    it('counts executed attempts by outcome and observes their run time', async () => {
      metrics.worker.taskExecuted('io', 'fs.read', true, 0.02);
      metrics.worker.taskExecuted('io', 'fs.read', false, 0.5);
      const fsRead = { worker_type: 'io', tool: 'fs.read' };
      expect(await valueOf(metrics, 'agentos_worker_tasks_total', { ...fsRead, status: 'succeeded' })).toBe(1);
      expect(await valueOf(metrics, 'agentos_worker_tasks_total', { ...fsRead, status: 'failed' })).toBe(1);
      expect(await valueOf(metrics, 'agentos_worker_task_duration_seconds', fsRead, 'agentos_worker_task_duration_seconds_count')).toBe(2);
    });

    it("reads executors' in-flight tasks and limits on scrape", async () => {
      let running = 3;
      const untrack = metrics.worker.trackExecutor({ workerType: 'logic', inFlight: () => running, concurrencyLimit: () => 16 });
      expect(await valueOf(metrics, 'agentos_worker_tasks_in_flight', { worker_type: 'logic' })).toBe(3);
      running = 0;
      expect(await valueOf(metrics, 'agentos_worker_tasks_in_flight', { worker_type: 'logic' })).toBe(0);
      expect(await valueOf(metrics, 'agentos_worker_concurrency_limit', { worker_type: 'logic' })).toBe(16);
      untrack();
      expect(await valueOf(metrics, 'agentos_worker_concurrency_limit', { worker_type: 'logic' })).toBeUndefined();
    });
  });
});
