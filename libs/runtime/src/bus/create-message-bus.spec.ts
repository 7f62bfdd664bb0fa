import { Logger } from '@nestjs/common';
import { KafkaJSSASLAuthenticationError } from 'kafkajs';
import { loadConfig } from '../config/load-config';
import { TransportConfig } from '../config/transport.config';
import { TransportError } from '../errors/agentos-error';
import { createMessageBus, topicRegistryFrom } from './create-message-bus';
import { InProcessBus } from './in-process/in-process-bus';
import { KafkaBusOptions } from './kafka/kafka-bus.options';
import { KafkaSecurityError } from './kafka/kafka-security';

/** kafkajs's typings declare no constructor arguments; at run time it takes the message like its other errors. */
const SaslAuthenticationError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;

/** What the stand-in KafkaBus was built with, and what its connect() does. */
const mockKafkaBus = { constructed: [] as KafkaBusOptions[], connect: jest.fn<Promise<void>, []>() };

jest.mock('./kafka/kafka-bus', () => ({
  KafkaBus: class {
    readonly transport = 'kafka';
    constructor(options: KafkaBusOptions) {
      mockKafkaBus.constructed.push(options);
    }
    connect(): Promise<void> {
      return mockKafkaBus.connect();
    }
  },
}));

const KAFKA = { AGENTOS_TRANSPORT: 'kafka', KAFKA_BROKERS: 'b1:9092' } as const;
const SASL = { ...KAFKA, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'agentos', KAFKA_SASL_PASSWORD: 'pa55-w0rd-secret' } as const;

function build(env: NodeJS.ProcessEnv): { bus: ReturnType<typeof createMessageBus>; options: KafkaBusOptions } {
  const config = loadConfig(TransportConfig, env);
  const bus = createMessageBus(config, topicRegistryFrom(config));
  return { bus, options: mockKafkaBus.constructed.at(-1)! };
}

describe('createMessageBus', () => {
  beforeEach(() => {
    mockKafkaBus.constructed.length = 0;
    mockKafkaBus.connect.mockReset();
  });

  it('hands the configured group session timing to the Kafka consumers', () => {
    const { options } = build({
      KAFKA_BROKERS: 'b1:9092,b2:9092',
      KAFKA_CLIENT_ID: 'supervisor',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
    });
    expect(options).toMatchObject({
      brokers: ['b1:9092', 'b2:9092'],
      clientId: 'supervisor',
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500 },
    });
    expect(options.sasl).toBeUndefined();
    expect(options.ssl).toBeUndefined();
  });

  it('hands the SASL credentials and TLS settings to the Kafka client', () => {
    const { options } = build({ ...SASL, KAFKA_SSL: 'true' });
    expect(options.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'agentos', password: 'pa55-w0rd-secret' });
    expect(options.ssl).toEqual({ rejectUnauthorized: true });
  });

  it('builds the in-process bus without touching Kafka', () => {
    const config = loadConfig(TransportConfig, { AGENTOS_TRANSPORT: 'in-process' });
    expect(createMessageBus(config, topicRegistryFrom(config))).toBeInstanceOf(InProcessBus);
    expect(mockKafkaBus.constructed).toHaveLength(0);
  });

  describe("the Kafka bus's connect()", () => {
    it('ends with a non-retriable authentication error naming mechanism and user when the broker rejects the credentials', async () => {
      const rejected = new SaslAuthenticationError('SASL SCRAM SHA512 authentication failed: invalid credentials');
      mockKafkaBus.connect.mockReturnValue(Promise.reject(new TransportError(`could not connect to Kafka: ${rejected.message}`, true, {}, rejected)));
      const { bus } = build(SASL);
      const error = await bus.connect().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KafkaSecurityError);
      expect(error).toMatchObject({ code: 'kafka_authentication_failed', retriable: false });
      expect((error as Error).message).toMatch(/^Kafka authentication failed: b1:9092 rejected SASL SCRAM-SHA-512 for user "agentos"/);
      expect((error as Error).message).not.toContain('pa55-w0rd-secret');
    });

    it('explains each attempt once: callers of the same attempt share one promise; a new attempt gets a new one', async () => {
      const first = Promise.resolve();
      mockKafkaBus.connect.mockReturnValue(first);
      const { bus } = build(KAFKA);
      const explained = bus.connect();
      expect(bus.connect()).toBe(explained);
      await expect(explained).resolves.toBeUndefined();
      mockKafkaBus.connect.mockReturnValue(Promise.resolve());
      expect(bus.connect()).not.toBe(explained);
    });

    it('passes other failures through unchanged', async () => {
      const refused = new TransportError('could not connect to Kafka: ECONNREFUSED', true);
      mockKafkaBus.connect.mockReturnValue(Promise.reject(refused));
      await expect(build(KAFKA).bus.connect()).rejects.toBe(refused);
    });
  });

  describe('warnings about weak settings', () => {
    let warn: jest.SpyInstance;
    beforeEach(() => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => warn.mockRestore());

    it('warns when the broker certificate is not verified, and when PLAIN sends the password unencrypted', () => {
      build({ ...KAFKA, KAFKA_SSL: 'true', KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' });
      build({ ...SASL, KAFKA_SASL_MECHANISM: 'plain' });
      expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
        expect.stringMatching(/^KAFKA_SSL_REJECT_UNAUTHORIZED=false: the broker's certificate is not verified/),
        expect.stringMatching(/^KAFKA_SASL_MECHANISM=plain without KAFKA_SSL=true: the password crosses the network in clear text/),
      ]);
    });

    it('stays quiet for verified TLS and for SCRAM', () => {
      build({ ...SASL, KAFKA_SSL: 'true' });
      build(SASL);
      expect(warn).not.toHaveBeenCalled();
    });
  });
});
