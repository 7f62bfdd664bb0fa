import { Registry } from 'prom-client';
import { ConsumerLag } from '../../bus/bus-health';
import { DeadLetter } from '../../bus/message-bus';
import { BusMetrics, ObservedBus } from './bus-metrics';

/** A stand-in for a MessageBus: what BusMetrics reads, driven by the test. */
class StubBus implements ObservedBus {
  readonly listeners = new Set<(deadLetter: DeadLetter) => void>();
  lagCalls = 0;
  lag: () => Promise<readonly ConsumerLag[]> = async () => [];

  onDeadLetter(listener: (deadLetter: DeadLetter) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  consumerLag(): Promise<readonly ConsumerLag[]> {
    this.lagCalls++;
    return this.lag();
  }

  deadLetter(topic: string, code: string): void {
    for (const listener of this.listeners) listener({ topic, key: 'k', code, reason: 'bad', deliveryCount: 1 });
  }
}

async function series(registry: Registry, name: string): Promise<Array<{ labels: Record<string, string | number>; value: number }>> {
  const metric = (await registry.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  return (metric?.values ?? []).map(({ labels, value }) => ({ labels: { ...labels } as Record<string, string | number>, value }));
}

describe('BusMetrics', () => {
  let registry: Registry;
  let metrics: BusMetrics;
  beforeEach(() => {
    registry = new Registry();
    metrics = new BusMetrics(registry, 100);
  });

  it('counts dead letters by topic and code, once per record however many services observe the bus', async () => {
    const bus = new StubBus();
    const stopSupervisor = metrics.observe(bus);
    const stopWorker = metrics.observe(bus);
    expect(bus.listeners.size).toBe(1);
    bus.deadLetter('agentos.goals.v1', 'malformed_json');
    bus.deadLetter('agentos.goals.v1', 'malformed_json');
    bus.deadLetter('agentos.results.v1', 'schema_violation');
    expect(await series(registry, 'agentos_dead_letters_total')).toEqual([
      { labels: { topic: 'agentos.goals.v1', code: 'malformed_json' }, value: 2 },
      { labels: { topic: 'agentos.results.v1', code: 'schema_violation' }, value: 1 },
    ]);
    stopSupervisor();
    stopSupervisor();
    expect(bus.listeners.size).toBe(1);
    stopWorker();
    expect(bus.listeners.size).toBe(0);
    bus.deadLetter('agentos.goals.v1', 'malformed_json');
    expect(await series(registry, 'agentos_dead_letters_total')).toContainEqual({ labels: { topic: 'agentos.goals.v1', code: 'malformed_json' }, value: 2 });
  });

  it('reads consumer lag on every scrape, one series per group, topic and partition', async () => {
    const bus = new StubBus();
    let backlog = 7;
    bus.lag = async () => [
      { groupId: 'agentos.worker.io', topic: 'agentos.tasks.io.v1', partition: 0, lag: backlog },
      { groupId: 'agentos.worker.io', topic: 'agentos.tasks.io.v1', partition: 1, lag: 0 },
    ];
    metrics.observe(bus);
    expect(await series(registry, 'agentos_consumer_lag_records')).toEqual([
      { labels: { group: 'agentos.worker.io', topic: 'agentos.tasks.io.v1', partition: '0' }, value: 7 },
      { labels: { group: 'agentos.worker.io', topic: 'agentos.tasks.io.v1', partition: '1' }, value: 0 },
    ]);
    backlog = 2;
    expect(await series(registry, 'agentos_consumer_lag_records')).toContainEqual({
      labels: { group: 'agentos.worker.io', topic: 'agentos.tasks.io.v1', partition: '0' },
      value: 2,
    });
  });

  it('leaves out the lag of a bus whose read fails or hangs, counts it, and still answers the scrape', async () => {
    const healthy = new StubBus();
    healthy.lag = async () => [{ groupId: 'g', topic: 't', partition: 0, lag: 3 }];
    const failing = new StubBus();
    failing.lag = () => Promise.reject(new Error('broker unreachable'));
    const hanging = new StubBus();
    hanging.lag = () => new Promise(() => undefined);
    metrics.observe(healthy);
    metrics.observe(failing);
    metrics.observe(hanging);
    const started = Date.now();
    const text = await registry.metrics();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text).toContain('agentos_consumer_lag_records{group="g",topic="t",partition="0"} 3');
    expect(text).toContain('agentos_consumer_lag_read_failures_total 2');
  });

  it('lets a scrape that arrives during a slow lag read share it instead of starting another', async () => {
    const bus = new StubBus();
    let answer!: (lags: readonly ConsumerLag[]) => void;
    bus.lag = () => new Promise((resolve) => (answer = resolve));
    metrics = new BusMetrics((registry = new Registry()), 1_000);
    metrics.observe(bus);
    const first = series(registry, 'agentos_consumer_lag_records');
    const second = series(registry, 'agentos_consumer_lag_records');
    await Promise.resolve();
    expect(bus.lagCalls).toBe(1);
    answer([{ groupId: 'g', topic: 't', partition: 2, lag: 5 }]);
    for (const scrape of await Promise.all([first, second])) expect(scrape).toEqual([{ labels: { group: 'g', topic: 't', partition: '2' }, value: 5 }]);
    bus.lag = async () => [];
    await series(registry, 'agentos_consumer_lag_records');
    expect(bus.lagCalls).toBe(2);
  });

  it('stops reading a bus nobody observes any more', async () => {
    const bus = new StubBus();
    const stop = metrics.observe(bus);
    await registry.metrics();
    stop();
    await registry.metrics();
    expect(bus.lagCalls).toBe(1);
  });
});
