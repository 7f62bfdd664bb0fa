import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessageBus, loadConfig, MessageBus, topicRegistryFrom, TransportConfig } from '@agentos/runtime';
import { findRepoRoot, sampleTask, ServiceProcess, uniqueName, waitFor } from '@agentos/test-kit';

/**
 * Kafka with authentication and TLS, for real: a broker of this suite's own, started by
 * tools/kafka/kafka-local.sh in its sasl-ssl mode (SASL_PLAINTEXT with SCRAM-SHA-512,
 * SCRAM-SHA-256 and PLAIN; SASL_SSL with a generated CA and mutual TLS), whatever broker the
 * rest of the e2e project uses.
 */
const SASL_PORT = 19640;
const CONTROLLER_PORT = 19641;
const SSL_PORT = 19642;
const USERNAME = 'agentos_e2e';
const PASSWORD = `e2e-${randomBytes(12).toString('hex')}`;
const WRONG_PASSWORD = `wrong-${randomBytes(12).toString('hex')}`;
/** Rejected credentials must end a connection attempt promptly, not after kafkajs's retries. */
const FAIL_FAST_MS = 15_000;

jest.setTimeout(120_000);

/** kafka-local.sh with this suite's ports, data dir and user (or `overrides`). */
function brokerScript(command: 'start' | 'stop', args: readonly string[] = [], overrides: NodeJS.ProcessEnv = {}): Promise<string> {
  const repo = findRepoRoot(__dirname);
  if (!repo) throw new Error(`tools/kafka/kafka-local.sh not found above ${__dirname}`);
  const dataDir = join(tmpdir(), `agentos-secure-kafka-${SASL_PORT}`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    ...(process.env.KAFKA_HOME ? { KAFKA_HOME: process.env.KAFKA_HOME } : {}),
    KAFKA_SECURITY: 'sasl-ssl',
    KAFKA_PORT: String(SASL_PORT),
    KAFKA_CONTROLLER_PORT: String(CONTROLLER_PORT),
    KAFKA_SSL_PORT: String(SSL_PORT),
    KAFKA_DATA_DIR: dataDir,
    KAFKA_PID_FILE: `${dataDir}.pid`,
    KAFKA_SASL_USERNAME: USERNAME,
    KAFKA_SASL_PASSWORD: PASSWORD,
    // An interrupted run must not leave the JVM behind.
    KAFKA_STOP_WITH_PID: String(process.pid),
    ...overrides,
  };
  return new Promise((resolve, reject) => {
    execFile('bash', [join(repo, 'tools', 'kafka', 'kafka-local.sh'), command, ...args], { env, timeout: 150_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kafka-local.sh ${command} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** `KEY=value` lines, as kafka-local.sh prints the client settings. */
function parseEnvLines(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
}

describe('Kafka with SASL and TLS (a secured broker of its own)', () => {
  /** What the broker script printed for clients of its SASL_SSL listener (never the password). */
  let printed: Record<string, string>;
  const buses: MessageBus[] = [];
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    printed = parseEnvLines(await brokerScript('start', ['--fresh']));
  }, 180_000);

  afterAll(async () => {
    await brokerScript('stop');
    await rm(join(tmpdir(), `agentos-secure-kafka-${SASL_PORT}`), { recursive: true, force: true });
  }, 60_000);

  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
    await Promise.allSettled(buses.splice(0).map((bus) => bus.close()));
  });

  /** The environment of a process on the SASL_PLAINTEXT listener, with a topic namespace of its own. */
  const saslEnv = (extra: Record<string, string | undefined> = {}): Record<string, string> => {
    const env: Record<string, string | undefined> = {
      AGENTOS_TRANSPORT: 'kafka',
      KAFKA_BROKERS: `127.0.0.1:${SASL_PORT}`,
      AGENTOS_TOPIC_NAMESPACE: uniqueName('secure'),
      AGENTOS_GOAL_PARTITIONS: '1',
      AGENTOS_TASK_PARTITIONS: '1',
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: USERNAME,
      KAFKA_SASL_PASSWORD: PASSWORD,
      ...extra,
    };
    return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  };

  /** The same on the SASL_SSL listener, with the CA and client certificate the script generated. */
  const tlsEnv = (extra: Record<string, string | undefined> = {}): Record<string, string> =>
    saslEnv({
      KAFKA_BROKERS: printed.KAFKA_BROKERS,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: printed.KAFKA_SSL_CA_FILE,
      KAFKA_SSL_CERT_FILE: printed.KAFKA_SSL_CERT_FILE,
      KAFKA_SSL_KEY_FILE: printed.KAFKA_SSL_KEY_FILE,
      ...extra,
    });

  /** A bus as a service builds it: configuration from the environment, then createMessageBus. */
  const busFrom = (env: Record<string, string>): MessageBus => {
    const config = loadConfig(TransportConfig, env);
    const bus = createMessageBus(config, topicRegistryFrom(config));
    buses.push(bus);
    return bus;
  };

  /** Publishes a task and waits for a subscriber of the same bus to receive it. */
  const roundTrip = async (env: Record<string, string>): Promise<void> => {
    const bus = busFrom(env);
    await bus.connect();
    const topic = topicRegistryFrom(loadConfig(TransportConfig, env)).tasks('io');
    const received: string[] = [];
    await bus.subscribe({ topics: [topic], groupId: uniqueName('secure-group'), maxInFlight: 4 }, async ({ message }) => {
      received.push(message.id);
    });
    const task = sampleTask({ goalId: uniqueName('goal') });
    await bus.publish([{ topic, key: task.taskId, message: task }]);
    await waitFor(() => received.includes(task.id), { timeoutMs: 30_000, description: 'the published task to come back to the subscriber' });
  };

  /** connect() must fail; returns the error and how long it took. */
  const failedConnect = async (env: Record<string, string>): Promise<{ error: Error & { code?: string; retriable?: boolean }; elapsedMs: number }> => {
    const bus = busFrom(env);
    const started = Date.now();
    const error = await bus.connect().then(
      () => {
        throw new Error('expected connect() to fail');
      },
      (failure: unknown) => failure as Error,
    );
    return { error, elapsedMs: Date.now() - started };
  };

  it('printed the client settings of its SASL_SSL listener, and not the password', () => {
    expect(printed).toEqual({
      KAFKA_BROKERS: `127.0.0.1:${SSL_PORT}`,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: USERNAME,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: expect.stringMatching(/\/tls\/ca\.pem$/),
      KAFKA_SSL_CERT_FILE: expect.stringMatching(/\/tls\/client\.pem$/),
      KAFKA_SSL_KEY_FILE: expect.stringMatching(/\/tls\/client\.key$/),
    });
  });

  describe('SASL_PLAINTEXT', () => {
    it.each(['scram-sha-512', 'scram-sha-256', 'plain'])('with %s and the right credentials, publishes and consumes', async (mechanism) => {
      await roundTrip(saslEnv({ KAFKA_SASL_MECHANISM: mechanism }));
    });

    it.each([
      ['scram-sha-512', 'SCRAM-SHA-512'],
      ['scram-sha-256', 'SCRAM-SHA-256'],
      ['plain', 'PLAIN'],
    ])('with %s and a wrong password, connect() fails fast: authentication failed, naming mechanism and user, not the password', async (mechanism, named) => {
      const { error, elapsedMs } = await failedConnect(saslEnv({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_PASSWORD: WRONG_PASSWORD }));
      expect(error).toMatchObject({ code: 'kafka_authentication_failed', retriable: false, name: 'KafkaSecurityError' });
      expect(error.message).toContain(`Kafka authentication failed: 127.0.0.1:${SASL_PORT} rejected SASL ${named} for user "${USERNAME}"`);
      expect(error.message).not.toContain(WRONG_PASSWORD);
      expect(error.message).not.toContain(PASSWORD);
      expect(elapsedMs).toBeLessThan(FAIL_FAST_MS);
    });

    it('with a user the broker does not know, fails the same way', async () => {
      const { error } = await failedConnect(saslEnv({ KAFKA_SASL_USERNAME: 'nobody' }));
      expect(error).toMatchObject({ code: 'kafka_authentication_failed' });
      expect(error.message).toContain('rejected SASL SCRAM-SHA-512 for user "nobody"');
    });

    it('without credentials, fails promptly and says the broker may require authentication', async () => {
      const { error, elapsedMs } = await failedConnect(
        saslEnv({ KAFKA_SASL_MECHANISM: undefined, KAFKA_SASL_USERNAME: undefined, KAFKA_SASL_PASSWORD: undefined }),
      );
      expect(error.message).toBe(
        `could not connect to Kafka: 127.0.0.1:${SASL_PORT} closed the connection; it may require authentication ` +
          '(KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD are not set) or TLS (KAFKA_SSL is not true)',
      );
      expect(elapsedMs).toBeLessThan(FAIL_FAST_MS);
    });
  });

  describe('SASL_SSL with mutual TLS', () => {
    it('with the CA, the client certificate and SCRAM-SHA-512, publishes and consumes', async () => {
      await roundTrip(tlsEnv());
    });

    it('with a wrong password over TLS, fails fast as an authentication failure', async () => {
      const { error, elapsedMs } = await failedConnect(tlsEnv({ KAFKA_SASL_PASSWORD: WRONG_PASSWORD }));
      expect(error).toMatchObject({ code: 'kafka_authentication_failed', retriable: false });
      expect(elapsedMs).toBeLessThan(FAIL_FAST_MS);
    });

    it("without the CA, refuses the broker's certificate and says KAFKA_SSL_CA_FILE must name its CA", async () => {
      const { error } = await failedConnect(tlsEnv({ KAFKA_SSL_CA_FILE: undefined }));
      expect(error).toMatchObject({ code: 'kafka_tls_failed', retriable: false });
      expect(error.message).toMatch(
        new RegExp(
          `^Kafka TLS connection to 127\\.0\\.0\\.1:${SSL_PORT} failed: self-signed certificate in certificate chain \\(SELF_SIGNED_CERT_IN_CHAIN\\); ` +
            "the broker's certificate is not trusted: KAFKA_SSL_CA_FILE must name the CA that signed it \\(unset: the system CAs were used\\)$",
        ),
      );
    });

    it('with KAFKA_SSL_REJECT_UNAUTHORIZED=false, connects without knowing the CA', async () => {
      await busFrom(tlsEnv({ KAFKA_SSL_CA_FILE: undefined, KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' })).connect();
    });

    it('without a client certificate, is refused by the broker and points at KAFKA_SSL_CERT_FILE', async () => {
      const { error } = await failedConnect(tlsEnv({ KAFKA_SSL_CERT_FILE: undefined, KAFKA_SSL_KEY_FILE: undefined }));
      expect(error).toMatchObject({ code: 'kafka_tls_failed', retriable: false });
      expect(error.message).toMatch(/the broker refused the handshake; if it requires a client certificate set KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE \(unset\)$/);
    });
  });

  describe('a service process (worker-logic from dist)', () => {
    it('starts with the right credentials over SASL_SSL and stops cleanly', async () => {
      const service = new ServiceProcess('worker-logic', tlsEnv());
      services.push(service);
      await service.ready();
      expect(await service.stop()).toBe(0);
      expect(service.log).not.toContain(PASSWORD);
    });

    it('exits non-zero within seconds with one clear line when the password is wrong', async () => {
      const started = Date.now();
      const service = new ServiceProcess('worker-logic', saslEnv({ KAFKA_SASL_PASSWORD: WRONG_PASSWORD }));
      services.push(service);
      await waitFor(() => service.exited, { timeoutMs: FAIL_FAST_MS, description: 'worker-logic to exit' }).catch((error: Error) => {
        throw new Error(`${error.message}\n--- worker-logic output ---\n${service.log.slice(-5_000)}`);
      });
      expect(Date.now() - started).toBeLessThan(FAIL_FAST_MS);
      expect(service.exitStatus).toEqual({ code: 1, signal: null });
      const clearLine = service.log
        .split('\n')
        .find((line) => line.startsWith(`Kafka authentication failed: 127.0.0.1:${SASL_PORT} rejected SASL SCRAM-SHA-512 for user "${USERNAME}"`));
      expect(clearLine).toBeDefined();
      expect(service.log).not.toContain(WRONG_PASSWORD);
      expect(service.log).not.toContain(PASSWORD);
    });
  });

  // Last: it restarts the broker the tests above share.
  describe('the broker script, restarted on the same data dir', () => {
    it('refuses credentials the storage was not formatted with, then keeps the users and the certificates', async () => {
      await brokerScript('stop');
      await expect(brokerScript('start', [], { KAFKA_SASL_PASSWORD: WRONG_PASSWORD })).rejects.toThrow(
        /formatted without SASL or with another KAFKA_SASL_USERNAME\/KAFKA_SASL_PASSWORD; SCRAM users are written at format time: use 'start --fresh'/,
      );
      expect(parseEnvLines(await brokerScript('start'))).toEqual(printed);
      await roundTrip(tlsEnv());
    });
  });
});
