import { ManifestError } from '../manifest/manifest-error';

const BOOTSTRAP_SUFFIX = '-kafka-bootstrap';

/**
 * The Strimzi cluster that KAFKA_BROKERS points at: Strimzi names a cluster's bootstrap service
 * `<cluster>-kafka-bootstrap`, so `agentos-kafka-kafka-bootstrap:9092` is cluster `agentos-kafka`.
 */
export function strimziClusterOf(brokers: readonly string[]): string {
  const clusters = new Set(
    brokers.map((broker) => {
      const service = broker.slice(0, broker.lastIndexOf(':')).split('.')[0]!;
      if (!service.endsWith(BOOTSTRAP_SUFFIX) || service.length === BOOTSTRAP_SUFFIX.length) {
        throw new ManifestError(`KAFKA_BROKERS entry ${broker} is not a Strimzi bootstrap service (<cluster>${BOOTSTRAP_SUFFIX}:<port>)`);
      }
      return service.slice(0, -BOOTSTRAP_SUFFIX.length);
    }),
  );
  if (clusters.size !== 1) throw new ManifestError(`KAFKA_BROKERS names ${clusters.size} Strimzi clusters; expected one`);
  return [...clusters][0]!;
}

/** The port clients connect on (every entry of KAFKA_BROKERS uses the same listener). */
export function brokerPorts(brokers: readonly string[]): number[] {
  return [...new Set(brokers.map((broker) => Number(broker.slice(broker.lastIndexOf(':') + 1))))];
}
