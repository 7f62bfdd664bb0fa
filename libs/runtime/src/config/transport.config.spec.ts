import { inspect } from 'node:util';
import { IsInt, IsString, Min } from 'class-validator';
import { AgentOsError, ConfigError } from '../errors/agentos-error';
import { loadConfig, splitList } from './load-config';
import { TransportConfig } from './transport.config';

/** Runs loadConfig expecting a ConfigError; returns it. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(TransportConfig, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

const KAFKA = { AGENTOS_TRANSPORT: 'kafka', KAFKA_BROKERS: 'localhost:9092' } as const;

describe('splitList', () => {
  it.each<[unknown, unknown]>([
    ['a,b,c', ['a', 'b', 'c']],
    [' a , b ,c ', ['a', 'b', 'c']],
    ['a,,b,', ['a', 'b']],
    [',, ,', []],
    ['', []],
    [['already', 'a list'], ['already', 'a list']],
    [undefined, undefined],
    [3, 3],
  ])('%p -> %p', (input, expected) => {
    expect(splitList(input)).toEqual(expected);
  });
});

describe('loadConfig(TransportConfig)', () => {
  it('applies every default when only the brokers are given', () => {
    const config = loadConfig(TransportConfig, { KAFKA_BROKERS: 'localhost:9092' });
    expect(config).toBeInstanceOf(TransportConfig);
    expect(config).toMatchObject({
      AGENTOS_TRANSPORT: 'kafka',
      KAFKA_BROKERS: ['localhost:9092'],
      KAFKA_CLIENT_ID: 'agentos',
      KAFKA_REPLICATION_FACTOR: 1,
      KAFKA_CREATE_TOPICS: true,
      AGENTOS_WORKER_TYPES: ['io', 'logic'],
      AGENTOS_GOAL_PARTITIONS: 12,
      AGENTOS_TASK_PARTITIONS: 12,
      KAFKA_SESSION_TIMEOUT_MS: 30_000,
      KAFKA_HEARTBEAT_INTERVAL_MS: 3_000,
    });
    expect(config.AGENTOS_TOPIC_NAMESPACE).toBeUndefined();
  });

  it('treats empty variables as absent (the default applies)', () => {
    const config = loadConfig(TransportConfig, { ...KAFKA, KAFKA_CLIENT_ID: '', AGENTOS_GOAL_PARTITIONS: '', AGENTOS_TOPIC_NAMESPACE: '' });
    expect(config.KAFKA_CLIENT_ID).toBe('agentos');
    expect(config.AGENTOS_GOAL_PARTITIONS).toBe(12);
    expect(config.AGENTOS_TOPIC_NAMESPACE).toBeUndefined();
  });

  it('needs no brokers for the in-process transport, and ignores broker syntax there', () => {
    expect(loadConfig(TransportConfig, { AGENTOS_TRANSPORT: 'in-process' }).KAFKA_BROKERS).toEqual([]);
    expect(loadConfig(TransportConfig, { AGENTOS_TRANSPORT: 'in-process', KAFKA_BROKERS: 'not a broker' }).AGENTOS_TRANSPORT).toBe('in-process');
  });

  describe('implicit conversion of strings from the environment', () => {
    it.each([
      ['KAFKA_REPLICATION_FACTOR', '3', 3],
      ['AGENTOS_GOAL_PARTITIONS', '1', 1],
      ['AGENTOS_TASK_PARTITIONS', '1000', 1_000],
      ['KAFKA_SESSION_TIMEOUT_MS', '6000', 6_000],
      ['KAFKA_HEARTBEAT_INTERVAL_MS', '500', 500],
    ] as const)('%s=%s -> the number %p', (name, raw, expected) => {
      expect(loadConfig(TransportConfig, { ...KAFKA, [name]: raw })[name]).toBe(expected);
    });

    it.each([
      ['true', true],
      ['1', true],
      ['false', false],
      ['0', false],
    ])('KAFKA_CREATE_TOPICS=%s -> %p', (raw, expected) => {
      expect(loadConfig(TransportConfig, { ...KAFKA, KAFKA_CREATE_TOPICS: raw }).KAFKA_CREATE_TOPICS).toBe(expected);
    });

    it.each(['yes', 'off', 'TRUE '])('rejects the boolean %p instead of guessing', (raw) => {
      expect(configError({ ...KAFKA, KAFKA_CREATE_TOPICS: raw }).message).toMatch(/KAFKA_CREATE_TOPICS/);
    });

    it.each([
      ['KAFKA_BROKERS', 'b1:9092, b2:9093 ,[::1]:9094,', ['b1:9092', 'b2:9093', '[::1]:9094']],
      ['AGENTOS_WORKER_TYPES', 'io, logic ,gpu-a100', ['io', 'logic', 'gpu-a100']],
    ] as const)('%s is a trimmed comma-separated list', (name, raw, expected) => {
      expect(loadConfig(TransportConfig, { ...KAFKA, [name]: raw })[name]).toEqual(expected);
    });
  });

  describe('rejection', () => {
    it.each<[string, NodeJS.ProcessEnv, RegExp]>([
      ['kafka without brokers', { AGENTOS_TRANSPORT: 'kafka' }, /KAFKA_BROKERS must name at least one broker/],
      ['kafka with only separators as brokers', { AGENTOS_TRANSPORT: 'kafka', KAFKA_BROKERS: ', ,' }, /KAFKA_BROKERS must name at least one broker/],
      ['a broker without a port', { AGENTOS_TRANSPORT: 'kafka', KAFKA_BROKERS: 'ok:9092,kafka' }, /each of KAFKA_BROKERS must be host:port/],
      ['a broker given as a URL', { AGENTOS_TRANSPORT: 'kafka', KAFKA_BROKERS: 'kafka://b1:9092' }, /each of KAFKA_BROKERS must be host:port/],
      ['a non-numeric port', { AGENTOS_TRANSPORT: 'kafka', KAFKA_BROKERS: 'b1:port' }, /each of KAFKA_BROKERS must be host:port/],
      ['an unknown transport', { ...KAFKA, AGENTOS_TRANSPORT: 'rabbitmq' }, /AGENTOS_TRANSPORT/],
      ['a non-numeric partition count', { ...KAFKA, AGENTOS_GOAL_PARTITIONS: 'twelve' }, /AGENTOS_GOAL_PARTITIONS/],
      ['a fractional replication factor', { ...KAFKA, KAFKA_REPLICATION_FACTOR: '1.5' }, /KAFKA_REPLICATION_FACTOR/],
      ['a replication factor out of range', { ...KAFKA, KAFKA_REPLICATION_FACTOR: '11' }, /KAFKA_REPLICATION_FACTOR/],
      ['zero task partitions', { ...KAFKA, AGENTOS_TASK_PARTITIONS: '0' }, /AGENTOS_TASK_PARTITIONS/],
      ['a worker type that is not topic-safe', { ...KAFKA, AGENTOS_WORKER_TYPES: 'io,Logic' }, /AGENTOS_WORKER_TYPES/],
      ['an empty worker type list', { ...KAFKA, AGENTOS_WORKER_TYPES: ',' }, /AGENTOS_WORKER_TYPES/],
      ['a namespace with a dot', { ...KAFKA, AGENTOS_TOPIC_NAMESPACE: 'team.a' }, /AGENTOS_TOPIC_NAMESPACE/],
      ['a client id with a space', { ...KAFKA, KAFKA_CLIENT_ID: 'my client' }, /KAFKA_CLIENT_ID/],
      ['a non-numeric session timeout', { ...KAFKA, KAFKA_SESSION_TIMEOUT_MS: '30s' }, /KAFKA_SESSION_TIMEOUT_MS/],
      ['a session timeout below a second', { ...KAFKA, KAFKA_SESSION_TIMEOUT_MS: '999', KAFKA_HEARTBEAT_INTERVAL_MS: '100' }, /KAFKA_SESSION_TIMEOUT_MS/],
      ['a fractional heartbeat interval', { ...KAFKA, KAFKA_HEARTBEAT_INTERVAL_MS: '500.5' }, /KAFKA_HEARTBEAT_INTERVAL_MS/],
      [
        'a heartbeat equal to the session timeout',
        { ...KAFKA, KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '6000' },
        /KAFKA_HEARTBEAT_INTERVAL_MS: KAFKA_HEARTBEAT_INTERVAL_MS must be below KAFKA_SESSION_TIMEOUT_MS \(6000\)/,
      ],
      [
        'a session timeout below the default heartbeat',
        { ...KAFKA, KAFKA_SESSION_TIMEOUT_MS: '2000' },
        /KAFKA_HEARTBEAT_INTERVAL_MS must be below KAFKA_SESSION_TIMEOUT_MS \(2000\)/,
      ],
    ])('%s', (_name, env, expected) => {
      const error = configError(env);
      expect(error.message).toMatch(expected);
      expect(error.message).toContain('invalid configuration (TransportConfig)');
    });

    it('lists every problem at once, one per line, as a non-retriable config_invalid error', () => {
      const error = configError({
        AGENTOS_TRANSPORT: 'kafka',
        KAFKA_REPLICATION_FACTOR: '0',
        AGENTOS_GOAL_PARTITIONS: 'many',
        AGENTOS_WORKER_TYPES: 'IO',
      });
      expect(error).toBeInstanceOf(AgentOsError);
      expect(error).toMatchObject({ code: 'config_invalid', retriable: false, context: { schema: 'TransportConfig' } });
      const problems = error.message.split('\n').slice(1);
      expect(problems).toHaveLength(4);
      for (const variable of ['KAFKA_BROKERS', 'KAFKA_REPLICATION_FACTOR', 'AGENTOS_GOAL_PARTITIONS', 'AGENTOS_WORKER_TYPES']) {
        expect(problems.filter((line) => line.startsWith(`  - ${variable}: `))).toHaveLength(1);
      }
    });

    it('reports both a bad broker and a bad setting elsewhere', () => {
      const message = configError({ AGENTOS_TRANSPORT: 'kafka', KAFKA_BROKERS: 'nohost', AGENTOS_TASK_PARTITIONS: '-1' }).message;
      expect(message).toMatch(/KAFKA_BROKERS: each of KAFKA_BROKERS must be host:port/);
      expect(message).toMatch(/AGENTOS_TASK_PARTITIONS: /);
    });
  });

  describe('Kafka security (SASL and TLS)', () => {
    const SASL = { ...KAFKA, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'agentos', KAFKA_SASL_PASSWORD: 'pa55-w0rd-secret' };
    const TLS = { ...KAFKA, KAFKA_SSL: 'true' };

    it('has no SASL and no TLS by default, and verifies brokers when TLS is on', () => {
      const config = loadConfig(TransportConfig, KAFKA);
      expect(config).toMatchObject({ KAFKA_SSL: false, KAFKA_SSL_REJECT_UNAUTHORIZED: true });
      for (const unset of ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const) {
        expect(config[unset]).toBeUndefined();
      }
    });

    it.each(['plain', 'scram-sha-256', 'scram-sha-512'])('accepts the mechanism %s with its credentials', (mechanism) => {
      expect(loadConfig(TransportConfig, { ...SASL, KAFKA_SASL_MECHANISM: mechanism })).toMatchObject({
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'agentos',
        KAFKA_SASL_PASSWORD: 'pa55-w0rd-secret',
      });
    });

    it("accepts the mechanism in Kafka's own upper case", () => {
      expect(loadConfig(TransportConfig, { ...SASL, KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256' }).KAFKA_SASL_MECHANISM).toBe('scram-sha-256');
    });

    it('keeps a numeric-looking password a string', () => {
      expect(loadConfig(TransportConfig, { ...SASL, KAFKA_SASL_PASSWORD: '12345678' }).KAFKA_SASL_PASSWORD).toBe('12345678');
    });

    it('accepts TLS with a CA, a client certificate and its key, and verification off', () => {
      const config = loadConfig(TransportConfig, {
        ...TLS,
        KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem',
        KAFKA_SSL_CERT_FILE: '/etc/kafka/client.pem',
        KAFKA_SSL_KEY_FILE: '/etc/kafka/client.key',
        KAFKA_SSL_REJECT_UNAUTHORIZED: 'false',
      });
      expect(config).toMatchObject({
        KAFKA_SSL: true,
        KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem',
        KAFKA_SSL_CERT_FILE: '/etc/kafka/client.pem',
        KAFKA_SSL_KEY_FILE: '/etc/kafka/client.key',
        KAFKA_SSL_REJECT_UNAUTHORIZED: false,
      });
    });

    it.each<[string, NodeJS.ProcessEnv, RegExp]>([
      ['an unknown mechanism', { ...SASL, KAFKA_SASL_MECHANISM: 'gssapi' }, /KAFKA_SASL_MECHANISM: KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512/],
      ['a mechanism without a username', { ...SASL, KAFKA_SASL_USERNAME: undefined }, /KAFKA_SASL_USERNAME: .*KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set/],
      ['a mechanism without a password', { ...SASL, KAFKA_SASL_PASSWORD: '' }, /KAFKA_SASL_PASSWORD: .*KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set/],
      ['a username without a mechanism', { ...KAFKA, KAFKA_SASL_USERNAME: 'agentos' }, /KAFKA_SASL_USERNAME: KAFKA_SASL_USERNAME is set but KAFKA_SASL_MECHANISM is not/],
      ['a password without a mechanism', { ...KAFKA, KAFKA_SASL_PASSWORD: 'pa55-w0rd-secret' }, /KAFKA_SASL_PASSWORD: KAFKA_SASL_PASSWORD is set but KAFKA_SASL_MECHANISM is not/],
      ['a password too long', { ...SASL, KAFKA_SASL_PASSWORD: 'x'.repeat(1_025) }, /KAFKA_SASL_PASSWORD: KAFKA_SASL_PASSWORD must be at most 1024 characters/],
      ['a certificate without its key', { ...TLS, KAFKA_SSL_CERT_FILE: '/c.pem' }, /KAFKA_SSL_CERT_FILE: KAFKA_SSL_CERT_FILE is set but KAFKA_SSL_KEY_FILE is not/],
      ['a key without its certificate', { ...TLS, KAFKA_SSL_KEY_FILE: '/c.key' }, /KAFKA_SSL_KEY_FILE: KAFKA_SSL_KEY_FILE is set but KAFKA_SSL_CERT_FILE is not/],
      ['a CA file while TLS is off', { ...KAFKA, KAFKA_SSL_CA_FILE: '/ca.pem' }, /KAFKA_SSL_CA_FILE: KAFKA_SSL_CA_FILE is set but KAFKA_SSL is not true/],
      ['a client certificate while TLS is off', { ...KAFKA, KAFKA_SSL: 'false', KAFKA_SSL_CERT_FILE: '/c.pem', KAFKA_SSL_KEY_FILE: '/c.key' }, /KAFKA_SSL_CERT_FILE: KAFKA_SSL_CERT_FILE is set but KAFKA_SSL is not true/],
      ['a boolean it would have to guess', { ...KAFKA, KAFKA_SSL: 'yes' }, /KAFKA_SSL: /],
      ['verification given as a word', { ...TLS, KAFKA_SSL_REJECT_UNAUTHORIZED: 'no' }, /KAFKA_SSL_REJECT_UNAUTHORIZED: /],
    ])('rejects %s', (_name, env, expected) => {
      expect(configError(env).message).toMatch(expected);
    });

    it('lists every security problem at once, naming the variables and never the password', () => {
      const error = configError({
        ...KAFKA,
        KAFKA_SASL_USERNAME: 'agentos',
        KAFKA_SASL_PASSWORD: 'pa55-w0rd-secret',
        KAFKA_SSL_CERT_FILE: '/c.pem',
      });
      const problems = error.message.split('\n').slice(1);
      expect(problems.map((line) => /^ {2}- (\w+): /.exec(line)?.[1])).toEqual(['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SSL_CERT_FILE']);
      expect(problems[2]).toContain('KAFKA_SSL_KEY_FILE is not');
      expect(problems[2]).toContain('KAFKA_SSL is not true');
      expect(error.message).not.toContain('pa55-w0rd-secret');
    });

    it('never echoes a rejected password', () => {
      const secret = `secret-${'y'.repeat(1_100)}`;
      expect(configError({ ...SASL, KAFKA_SASL_PASSWORD: secret }).message).not.toContain('secret-');
    });

    it('ignores the Kafka security settings on the in-process transport, as it ignores the brokers', () => {
      const config = loadConfig(TransportConfig, { AGENTOS_TRANSPORT: 'in-process', KAFKA_SASL_USERNAME: 'agentos', KAFKA_SSL_KEY_FILE: '/c.key' });
      expect(config.AGENTOS_TRANSPORT).toBe('in-process');
    });

    it('keeps the password out of JSON and inspect output, and shows everything else', () => {
      const config = loadConfig(TransportConfig, SASL);
      expect(config.KAFKA_SASL_PASSWORD).toBe('pa55-w0rd-secret');
      for (const shown of [JSON.stringify(config), inspect(config)]) {
        expect(shown).not.toContain('pa55-w0rd-secret');
        expect(shown).toContain('[redacted]');
        expect(shown).toContain('scram-sha-512');
        expect(shown).toContain('localhost:9092');
      }
      expect(JSON.parse(JSON.stringify(config))).toMatchObject({ KAFKA_SASL_USERNAME: 'agentos', KAFKA_SASL_PASSWORD: '[redacted]', KAFKA_SESSION_TIMEOUT_MS: 30_000 });
      expect(JSON.parse(JSON.stringify(loadConfig(TransportConfig, KAFKA)))).not.toHaveProperty('KAFKA_SASL_PASSWORD');
    });
  });

  it('reads process.env when no environment is passed', () => {
    const saved = { ...process.env };
    try {
      process.env.AGENTOS_TRANSPORT = 'in-process';
      process.env.AGENTOS_GOAL_PARTITIONS = '7';
      expect(loadConfig(TransportConfig).AGENTOS_GOAL_PARTITIONS).toBe(7);
    } finally {
      process.env = saved;
    }
  });
});

describe('loadConfig with any schema', () => {
  class SmallConfig {
    @IsString()
    readonly NAME: string = 'default-name';

    @IsInt()
    @Min(1)
    readonly SIZE: number = 10;
  }

  it('fills a fresh instance from the environment, with conversion and defaults', () => {
    const config = loadConfig(SmallConfig, { SIZE: '42' });
    expect(config).toBeInstanceOf(SmallConfig);
    expect(config).toMatchObject({ NAME: 'default-name', SIZE: 42 });
    expect(loadConfig(SmallConfig, {})).toMatchObject({ NAME: 'default-name', SIZE: 10 });
  });

  it('names the schema and the variable in its error', () => {
    expect(() => loadConfig(SmallConfig, { SIZE: '0' })).toThrow(/invalid configuration \(SmallConfig\):\n {2}- SIZE: /);
  });
});
