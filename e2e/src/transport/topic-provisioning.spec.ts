import { TopicSpec } from '@agentos/contracts';
import { KafkaBus } from '@agentos/runtime';
import { Admin, ConfigResourceTypes } from 'kafkajs';
import { freshRegistry, plainKafka, testBus } from './kafka-test-support';

/** The broker's view of a topic: partitions and the configs the registry sets. */
async function topicOnBroker(admin: Admin, topic: string): Promise<{ partitions: number; configs: Record<string, string> }> {
  const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
  const { resources } = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy', 'retention.ms', 'min.compaction.lag.ms'] }],
    includeSynonyms: false,
  });
  const configs = Object.fromEntries(resources[0]!.configEntries.map((entry) => [entry.configName, entry.configValue]));
  return { partitions: metadata!.partitions.length, configs };
}

describe('topics the Kafka bus creates from the registry', () => {
  const registry = freshRegistry();
  let bus: KafkaBus;
  let admin: Admin;

  beforeAll(async () => {
    bus = testBus(registry);
    await bus.connect();
    admin = plainKafka().admin();
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.disconnect();
    await bus?.close();
  });

  const byRole = (role: TopicSpec['role']): TopicSpec => registry.specs().find((spec) => spec.role === role)!;

  it.each<TopicSpec['role']>(['goals', 'results', 'events', 'runs', 'capabilities', 'tasks'])('creates the %s topic with the partitions and retention its spec gives', async (role) => {
    const spec = byRole(role);
    const { partitions, configs } = await topicOnBroker(admin, spec.name);
    expect(partitions).toBe(spec.partitions);
    expect(configs['cleanup.policy']).toBe(spec.cleanupPolicy);
    if (spec.retentionMs !== undefined) expect(configs['retention.ms']).toBe(String(spec.retentionMs));
    if (spec.minCompactionLagMs !== undefined) expect(configs['min.compaction.lag.ms']).toBe(String(spec.minCompactionLagMs));
  });

  it('keeps every runs record for hours before compaction may drop it (a run is a snapshot plus what followed)', async () => {
    const { configs } = await topicOnBroker(admin, registry.runs());
    expect(Number(configs['min.compaction.lag.ms'])).toBeGreaterThanOrEqual(3_600_000);
    expect(configs['cleanup.policy']).toBe('compact,delete');
  });
});
