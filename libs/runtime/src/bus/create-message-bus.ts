import { Logger } from '@nestjs/common';
import { TopicRegistry } from '@agentos/contracts';
import { TransportConfig } from '../config/transport.config';
import { InProcessBus } from './in-process/in-process-bus';
import { KafkaBus } from './kafka/kafka-bus';
import { KafkaBusOptions } from './kafka/kafka-bus.options';
import { explainKafkaConnectFailure, KafkaClientIdentity, kafkaClientIdentity, kafkaSecurityOptions } from './kafka/kafka-security';
import { MessageBus } from './message-bus';

/** The topic registry the transport configuration describes. */
export function topicRegistryFrom(config: TransportConfig): TopicRegistry {
  return new TopicRegistry({
    ...(config.AGENTOS_TOPIC_NAMESPACE ? { namespace: config.AGENTOS_TOPIC_NAMESPACE } : {}),
    workerTypes: config.AGENTOS_WORKER_TYPES,
    goalPartitions: config.AGENTOS_GOAL_PARTITIONS,
    taskPartitions: config.AGENTOS_TASK_PARTITIONS,
  });
}

/**
 * A KafkaBus whose connection failures say which security setting is at fault: rejected
 * credentials and untrusted certificates end `connect()` (and the `publish`/`subscribe` that
 * connect first) with a non-retriable KafkaSecurityError instead of a generic transport error.
 */
class SecurityAwareKafkaBus extends KafkaBus {
  /** The last attempt KafkaBus handed out and its explained twin: one promise per attempt, not per call. */
  private attempt: { readonly connecting: Promise<void>; readonly explained: Promise<void> } | undefined;

  constructor(
    options: KafkaBusOptions,
    private readonly identity: KafkaClientIdentity,
  ) {
    super(options);
  }

  override connect(): Promise<void> {
    const connecting = super.connect();
    if (this.attempt?.connecting !== connecting) {
      const explained = connecting.catch((error: unknown) => {
        throw explainKafkaConnectFailure(error, this.identity);
      });
      this.attempt = { connecting, explained };
    }
    return this.attempt.explained;
  }
}

/**
 * Builds the bus a process uses, from validated configuration. For Kafka this reads the TLS
 * files named by the configuration (a ConfigError if they are unusable).
 */
export function createMessageBus(config: TransportConfig, registry: TopicRegistry): MessageBus {
  if (config.AGENTOS_TRANSPORT === 'in-process') return new InProcessBus();
  warnAboutWeakSecurity(config);
  return new SecurityAwareKafkaBus(
    {
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID,
      registry,
      createTopics: config.KAFKA_CREATE_TOPICS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      consumer: { sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS, heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS },
      ...kafkaSecurityOptions(config),
    },
    kafkaClientIdentity(config),
  );
}

function warnAboutWeakSecurity(config: TransportConfig): void {
  const logger = new Logger('KafkaSecurity');
  if (config.KAFKA_SSL && !config.KAFKA_SSL_REJECT_UNAUTHORIZED) {
    logger.warn("KAFKA_SSL_REJECT_UNAUTHORIZED=false: the broker's certificate is not verified, anyone in the path can pose as the broker");
  }
  if (config.KAFKA_SASL_MECHANISM === 'plain' && !config.KAFKA_SSL) {
    logger.warn('KAFKA_SASL_MECHANISM=plain without KAFKA_SSL=true: the password crosses the network in clear text');
  }
}
