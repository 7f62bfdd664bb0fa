import { DEFAULT_GOAL_PARTITIONS, DEFAULT_TASK_PARTITIONS, RUNS_MIN_COMPACTION_LAG_MS, kindsForTopic, TopicRegistry, TopicRole, topicRole } from './topic-registry';

const plain = new TopicRegistry({ workerTypes: ['io', 'logic'] });
const namespaced = new TopicRegistry({ namespace: 'test-42', workerTypes: ['io', 'logic'] });
const REGISTRIES = { 'no namespace': plain, 'namespace test-42': namespaced };
type RegistryName = keyof typeof REGISTRIES;

describe('TopicRegistry names', () => {
  it.each<[string, (registry: TopicRegistry) => string, string, string]>([
    ['goals', (r) => r.goals(), 'agentos.goals.v1', 'test-42.agentos.goals.v1'],
    ['tasks', (r) => r.tasks('io'), 'agentos.tasks.io.v1', 'test-42.agentos.tasks.io.v1'],
    ['results', (r) => r.results(), 'agentos.results.v1', 'test-42.agentos.results.v1'],
    ['control', (r) => r.control(), 'agentos.control.v1', 'test-42.agentos.control.v1'],
    ['events', (r) => r.events(), 'agentos.events.v1', 'test-42.agentos.events.v1'],
    ['runs', (r) => r.runs(), 'agentos.runs.v1', 'test-42.agentos.runs.v1'],
    ['dlq', (r) => r.dlq(), 'agentos.dlq.v1', 'test-42.agentos.dlq.v1'],
    ['capabilities', (r) => r.capabilities(), 'agentos.capabilities.v1', 'test-42.agentos.capabilities.v1'],
  ])('%s', (_role, name, withoutNamespace, withNamespace) => {
    expect(name(plain)).toBe(withoutNamespace);
    expect(name(namespaced)).toBe(withNamespace);
  });

  it('names consumer groups in its namespace, as it names topics', () => {
    expect(plain.group('supervisor')).toBe('agentos.supervisor');
    expect(namespaced.group('worker.io')).toBe('test-42.agentos.worker.io');
  });

  it('exposes its namespace and worker types', () => {
    expect(plain.namespace).toBeUndefined();
    expect(namespaced.namespace).toBe('test-42');
    expect(namespaced.workerTypes).toEqual(['io', 'logic']);
  });

  it.each(['', 'a.b', '-lead', 'with space', 'x'.repeat(65)])('rejects the namespace %j', (namespace) => {
    expect(() => new TopicRegistry({ namespace, workerTypes: [] })).toThrow(/invalid topic namespace/);
  });

  it.each(['IO', 'io.v2', '9io', 'io_pool', ''])('rejects the worker type %j', (workerType) => {
    expect(() => new TopicRegistry({ workerTypes: [workerType] })).toThrow(/invalid worker type/);
  });
});

describe('TopicRegistry specs', () => {
  const specs = new TopicRegistry({ namespace: 'ns', workerTypes: ['io', 'logic'], goalPartitions: 24, taskPartitions: 6 }).specs();
  const byRole = (role: TopicRole) => specs.filter((spec) => spec.role === role);

  it('lists every fixed topic once and a task topic per worker type', () => {
    expect(specs.map((spec) => spec.name)).toEqual([
      'ns.agentos.goals.v1',
      'ns.agentos.results.v1',
      'ns.agentos.control.v1',
      'ns.agentos.events.v1',
      'ns.agentos.runs.v1',
      'ns.agentos.dlq.v1',
      'ns.agentos.capabilities.v1',
      'ns.agentos.tasks.io.v1',
      'ns.agentos.tasks.logic.v1',
    ]);
  });

  it('co-partitions goals, results, events and runs, all keyed by goalId', () => {
    const goalKeyed = (['goals', 'results', 'events', 'runs'] as const).map((role) => byRole(role)[0]);
    expect(goalKeyed.map((spec) => [spec.partitions, spec.keyedBy])).toEqual(Array(4).fill([24, 'goalId']));
  });

  it('uses the default partition counts when none are given', () => {
    const defaults = new TopicRegistry({ workerTypes: ['io'] }).specs();
    expect(defaults.find((spec) => spec.role === 'goals')?.partitions).toBe(DEFAULT_GOAL_PARTITIONS);
    expect(defaults.find((spec) => spec.role === 'tasks')?.partitions).toBe(DEFAULT_TASK_PARTITIONS);
  });

  it('gives task topics the task partition count, keyed by taskId, consumed by the pool', () => {
    expect(byRole('tasks').map(({ partitions, keyedBy, delivery, kinds }) => ({ partitions, keyedBy, delivery, kinds }))).toEqual(
      Array(2).fill({ partitions: 6, keyedBy: 'taskId', delivery: 'group', kinds: ['task'] }),
    );
  });

  it('broadcasts control to every instance', () => {
    expect(byRole('control')[0]).toMatchObject({ delivery: 'broadcast', keyedBy: 'target', kinds: ['control'], partitions: 1 });
  });

  it('compacts runs, keeps every record for at least the compaction lag and finished goals a day past the goals, read by every supervisor instance', () => {
    expect(byRole('runs')[0]).toMatchObject({ cleanupPolicy: 'compact,delete', kinds: ['run'], delivery: 'broadcast', minCompactionLagMs: RUNS_MIN_COMPACTION_LAG_MS });
    const goalsRetention = byRole('goals')[0].retentionMs!;
    expect(byRole('runs')[0].retentionMs).toBe(goalsRetention + 24 * 3_600_000);
    // A running goal's latest snapshot is never older than the checkpoint interval, far below both.
    expect(RUNS_MIN_COMPACTION_LAG_MS).toBeLessThan(byRole('runs')[0].retentionMs!);
  });

  it('compacts capabilities, keyed by worker id, read by every supervisor instance', () => {
    expect(byRole('capabilities')[0]).toMatchObject({
      cleanupPolicy: 'compact',
      keyedBy: 'workerId',
      kinds: ['capabilities'],
      delivery: 'broadcast',
      partitions: 1,
    });
    expect(byRole('capabilities')[0].retentionMs).toBeUndefined();
  });

  it('gives every other topic delete retention', () => {
    for (const spec of specs.filter((s) => s.role !== 'runs' && s.role !== 'capabilities')) {
      expect(spec).toMatchObject({ cleanupPolicy: 'delete', retentionMs: expect.any(Number) });
    }
  });

  it('carries no agent messages on the DLQ', () => {
    expect(byRole('dlq')[0]).toMatchObject({ kinds: [], keyedBy: 'originalKey' });
  });
});

describe('TopicRegistry.resolve', () => {
  it.each<[RegistryName, string, TopicRole]>([
    ['no namespace', 'agentos.goals.v1', 'goals'],
    ['no namespace', 'agentos.results.v1', 'results'],
    ['no namespace', 'agentos.dlq.v1', 'dlq'],
    ['no namespace', 'agentos.capabilities.v1', 'capabilities'],
    ['no namespace', 'agentos.tasks.io.v1', 'tasks'],
    ['no namespace', 'agentos.tasks.gpu-a100.v1', 'tasks'],
    ['namespace test-42', 'test-42.agentos.events.v1', 'events'],
    ['namespace test-42', 'test-42.agentos.tasks.browser.v1', 'tasks'],
  ])('with %s, resolves %s as %s', (registry, topic, role) => {
    expect(REGISTRIES[registry].resolve(topic)).toMatchObject({ name: topic, role });
  });

  it('gives a resolved topic the same spec as specs() does', () => {
    for (const spec of namespaced.specs()) expect(namespaced.resolve(spec.name)).toEqual(spec);
  });

  it.each<[RegistryName, string]>([
    ['no namespace', 'test-42.agentos.goals.v1'],
    ['no namespace', 'test-42.agentos.tasks.io.v1'],
    ['namespace test-42', 'agentos.goals.v1'],
    ['namespace test-42', 'other.agentos.goals.v1'],
    ['namespace test-42', 'test-42.other.agentos.goals.v1'],
    ['namespace test-42', 'test-42x.agentos.goals.v1'],
    ['no namespace', 'agentos.goals.v2'],
    ['no namespace', 'agentos.tasks.IO.v1'],
    ['no namespace', 'agentos.tasks.v1'],
    ['no namespace', 'orders'],
    ['no namespace', ''],
  ])('with %s, does not resolve the foreign name %j', (registry, topic) => {
    expect(REGISTRIES[registry].resolve(topic)).toBeUndefined();
  });
});

describe('kindsForTopic and topicRole', () => {
  it.each([
    ['agentos.goals.v1', ['goal']],
    ['agentos.tasks.io.v1', ['task']],
    ['agentos.tasks.any-worker-type.v1', ['task']],
    ['tenant-a.agentos.tasks.logic.v1', ['task']],
    ['agentos.results.v1', ['result']],
    ['agentos.control.v1', ['control']],
    ['x.agentos.events.v1', ['event']],
    ['agentos.runs.v1', ['run']],
    ['agentos.dlq.v1', []],
    ['agentos.capabilities.v1', ['capabilities']],
    ['ns.agentos.capabilities.v1', ['capabilities']],
    ['agentos.goals.v2', []],
    ['agentos.tasks.Bad_Type.v1', []],
    ['orders.created', []],
  ])('%s carries %j', (topic, kinds) => {
    expect(kindsForTopic(topic)).toEqual(kinds);
  });

  it.each([
    ['agentos.goals.v1', { role: 'goals', baseSegments: 3 }],
    ['ns.agentos.tasks.io.v1', { role: 'tasks', baseSegments: 4 }],
    ['agentos.unknown.v1', undefined],
  ])('topicRole(%s)', (topic, expected) => {
    expect(topicRole(topic)).toEqual(expected);
  });
});
