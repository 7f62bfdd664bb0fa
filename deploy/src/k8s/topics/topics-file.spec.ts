import { readFileSync } from 'node:fs';
import { DEFAULT_GOAL_PARTITIONS, RUNS_MIN_COMPACTION_LAG_MS, TopicRegistry } from '@agentos/contracts';
import { strimziClusterOf } from '../kafka/strimzi-cluster';
import { TOPICS_FILE } from '../layout';
import { parseManifests } from '../manifest/k8s-resource';
import { CLIENT_SIDE_FIELDS, kafkaTopics, TOPIC_CONFIG_FIELDS, topicConfig } from './kafka-topics';
import { baseEnvironment, renderTopicsFile, topicsOf } from './topics-file';

describe('k8s/base/topics.yaml', () => {
  it('is what `npm run k8s:topics` generates from the registry now (run it after changing topics)', () => {
    expect(readFileSync(TOPICS_FILE, 'utf8')).toBe(renderTopicsFile());
  });

  it('holds every topic of the base environment, with the runs topic compacted and kept for its compaction lag', () => {
    const topics = parseManifests(readFileSync(TOPICS_FILE, 'utf8'), TOPICS_FILE) as unknown as Array<{ spec: { topicName: string; partitions: number; config: Record<string, unknown> } }>;
    const { registry } = topicsOf(baseEnvironment());
    expect(topics.map((topic) => topic.spec.topicName).sort()).toEqual(registry.specs().map((spec) => spec.name).sort());
    const runs = topics.find((topic) => topic.spec.topicName === registry.runs())!;
    expect(runs.spec.config).toEqual({ 'cleanup.policy': 'compact,delete', 'retention.ms': 8 * 86_400_000, 'min.compaction.lag.ms': RUNS_MIN_COMPACTION_LAG_MS });
    expect(topics.find((topic) => topic.spec.topicName === registry.goals())!.spec.partitions).toBe(DEFAULT_GOAL_PARTITIONS);
  });
});

describe('kafkaTopics', () => {
  it('maps every TopicSpec field, so a new broker-side setting cannot be left out of the KafkaTopics', () => {
    const registry = new TopicRegistry({ workerTypes: ['io'] });
    for (const spec of registry.specs()) {
      const unmapped = Object.keys(spec).filter((field) => !(field in TOPIC_CONFIG_FIELDS) && !CLIENT_SIDE_FIELDS.has(field as keyof typeof spec));
      expect({ topic: spec.name, unmapped }).toEqual({ topic: spec.name, unmapped: [] });
      for (const [field, config] of Object.entries(TOPIC_CONFIG_FIELDS)) {
        expect(topicConfig(spec)[config]).toBe(spec[field as keyof typeof TOPIC_CONFIG_FIELDS]);
      }
    }
  });

  it('names topics of any namespace validly and keeps the real name in topicName', () => {
    const registry = new TopicRegistry({ namespace: 'Tenant_A', workerTypes: ['io'], goalPartitions: 3 });
    const topics = kafkaTopics(registry, 'cluster');
    expect(topics.map((topic) => topic.metadata?.name)).toContain('tenant-a.agentos.goals.v1');
    expect(topics.find((topic) => topic.metadata?.name === 'tenant-a.agentos.goals.v1')!.spec).toMatchObject({ topicName: 'Tenant_A.agentos.goals.v1', partitions: 3 });
    expect(topics.every((topic) => topic.metadata?.labels?.['strimzi.io/cluster'] === 'cluster')).toBe(true);
  });
});

describe('strimziClusterOf', () => {
  it('reads the cluster from Strimzi bootstrap addresses, in or across namespaces', () => {
    expect(strimziClusterOf(['agentos-kafka-kafka-bootstrap:9092'])).toBe('agentos-kafka');
    expect(strimziClusterOf(['main-kafka-bootstrap.kafka.svc.cluster.local:9093'])).toBe('main');
  });

  it('refuses addresses that are not one Strimzi cluster', () => {
    expect(() => strimziClusterOf(['broker-1:9092'])).toThrow(/not a Strimzi bootstrap service/);
    expect(() => strimziClusterOf(['a-kafka-bootstrap:9092', 'b-kafka-bootstrap:9092'])).toThrow(/2 Strimzi clusters/);
  });
});
