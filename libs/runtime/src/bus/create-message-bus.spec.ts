import { loadConfig } from '../config/load-config';
import { TransportConfig } from '../config/transport.config';
import { createMessageBus, topicRegistryFrom } from './create-message-bus';
import { InProcessBus } from './in-process/in-process-bus';
import { KafkaBus } from './kafka/kafka-bus';
import { KafkaBusOptions } from './kafka/kafka-bus.options';

jest.mock('./kafka/kafka-bus', () => ({
  KafkaBus: jest.fn().mockImplementation((options: KafkaBusOptions) => ({ transport: 'kafka', options })),
}));

describe('createMessageBus', () => {
  it('hands the configured group session timing to the Kafka consumers', () => {
    const config = loadConfig(TransportConfig, {
      KAFKA_BROKERS: 'b1:9092,b2:9092',
      KAFKA_CLIENT_ID: 'supervisor',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
    });
    createMessageBus(config, topicRegistryFrom(config));
    const options = jest.mocked(KafkaBus).mock.calls[0]![0];
    expect(options).toMatchObject({
      brokers: ['b1:9092', 'b2:9092'],
      clientId: 'supervisor',
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500 },
    });
  });

  it('builds the in-process bus without touching Kafka', () => {
    const config = loadConfig(TransportConfig, { AGENTOS_TRANSPORT: 'in-process' });
    expect(createMessageBus(config, topicRegistryFrom(config))).toBeInstanceOf(InProcessBus);
  });
});
