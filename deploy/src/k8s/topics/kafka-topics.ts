import type { IKafkaTopic } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaTopic';
import { TopicRegistry, TopicSpec } from '@agentos/contracts';
import { ManifestError } from '../manifest/manifest-error';

/**
 * TopicSpec fields that are Kafka topic configs, by config name: what the bus's TopicProvisioner
 * sets when it creates a topic (libs/runtime/src/bus/kafka/topic-provisioner.ts).
 */
export const TOPIC_CONFIG_FIELDS = {
  cleanupPolicy: 'cleanup.policy',
  retentionMs: 'retention.ms',
  minCompactionLagMs: 'min.compaction.lag.ms',
} as const satisfies Partial<Record<keyof TopicSpec, string>>;

/** TopicSpec fields that producers and consumers read, not the broker. */
export const CLIENT_SIDE_FIELDS: ReadonlySet<keyof TopicSpec> = new Set(['role', 'name', 'partitions', 'keyedBy', 'kinds', 'delivery']);

/** The Kafka configs of one topic, as the TopicProvisioner creates them. */
export function topicConfig(spec: TopicSpec): Record<string, string | number> {
  const config: Record<string, string | number> = {};
  for (const [field, name] of Object.entries(TOPIC_CONFIG_FIELDS) as Array<[keyof typeof TOPIC_CONFIG_FIELDS, string]>) {
    const value = spec[field];
    if (value !== undefined) config[name] = value;
  }
  return config;
}

/** Every topic of the registry as a Strimzi KafkaTopic of the given cluster. */
export function kafkaTopics(registry: TopicRegistry, cluster: string): IKafkaTopic[] {
  const names = new Map<string, string>();
  return registry.specs().map((spec) => {
    const name = resourceName(spec.name);
    const clash = names.get(name);
    if (clash) throw new ManifestError(`topics ${clash} and ${spec.name} would share the KafkaTopic name ${name}`);
    names.set(name, spec.name);
    return {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: { name, labels: { 'strimzi.io/cluster': cluster, 'app.kubernetes.io/part-of': 'agentos' } },
      // topicName always: a topic namespace may hold characters a resource name cannot.
      spec: { topicName: spec.name, partitions: spec.partitions, config: topicConfig(spec) },
    };
  });
}

/** A valid resource name (RFC 1123 subdomain) for a topic name. */
function resourceName(topic: string): string {
  const name = topic.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[.-]+|[.-]+$/g, '');
  if (!/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(name)) throw new ManifestError(`topic ${topic} has no valid resource name`);
  return name;
}
