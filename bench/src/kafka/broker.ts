import { KAFKA_VERSION, parseKafkaBrokers, provisionKafkaBroker } from '@agentos/test-kit';

export interface BenchBroker {
  readonly brokers: string[];
  /** What the header shows: version and where the broker came from. */
  readonly description: string;
  /** Stops the broker if the bench started it; nothing otherwise. */
  stop(): Promise<void>;
}

/** KAFKA_BROKERS when set (left running afterwards), else a broker the bench starts and stops. */
export async function benchBroker(knownVersion: string | undefined): Promise<BenchBroker> {
  const given = parseKafkaBrokers(process.env.KAFKA_BROKERS);
  if (given) {
    return {
      brokers: given,
      description: `${knownVersion ?? 'version unknown (set BENCH_BROKER_VERSION)'}, from KAFKA_BROKERS=${given.join(',')}`,
      stop: async () => undefined,
    };
  }
  // The local script binds 127.0.0.1 only; a container publishes its port on every interface,
  // so it is used only when asked for (KAFKA_PROVISION_SOURCES=testcontainers).
  const sources = process.env.KAFKA_PROVISION_SOURCES ? undefined : (['local-script'] as const);
  console.error(`bench: KAFKA_BROKERS not set, starting a broker (${sources?.join(', ') ?? process.env.KAFKA_PROVISION_SOURCES})...`);
  const broker = await provisionKafkaBroker({ ...(sources ? { sources } : {}), log: (line) => console.error(`bench: ${line}`) });
  return {
    brokers: broker.brokers,
    description: `Apache Kafka ${KAFKA_VERSION} (${broker.source}, started by the bench at ${broker.brokers.join(',')})`,
    stop: () => broker.stop(),
  };
}
