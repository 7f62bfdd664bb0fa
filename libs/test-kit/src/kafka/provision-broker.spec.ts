import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { kafkaGlobalSetup } from './kafka-global-setup';
import { kafkaGlobalTeardown } from './kafka-global-teardown';
import {
  detectContainerRuntime,
  findRepoRoot,
  isPortOpen,
  KafkaBrokerUnavailableError,
  parseKafkaBrokers,
  provisionKafkaBroker,
  type ProvisionedKafkaBroker,
} from './provision-broker';

/** process.env without KAFKA_BROKERS / KAFKA_PROVISION_SOURCES, so the automatic choice is exercised. */
function envWithoutBrokers(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.KAFKA_BROKERS;
  delete env.KAFKA_PROVISION_SOURCES;
  return env;
}

function portOf(broker: string): number {
  return Number(broker.slice(broker.lastIndexOf(':') + 1));
}

async function roundTrip(brokers: string[], topic: string): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'test-kit-spec', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    expect(await admin.listTopics()).toContain(topic);

    await producer.connect();
    const sent = ['one', 'two', 'three'];
    await producer.send({ topic, acks: -1, messages: sent.map((value, i) => ({ key: `k${i}`, value })) });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed only ${received.length} of ${sent.length}`)), 60_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            received.push(message.value?.toString() ?? '');
            if (received.length === sent.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return received.sort();
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

describe('provisionKafkaBroker: choice of source', () => {
  it('uses KAFKA_BROKERS first, without probing Docker or starting anything', async () => {
    const broker = await provisionKafkaBroker({
      env: { KAFKA_BROKERS: ' kafka-a:9092, kafka-b:9093 ,', DOCKER_HOST: 'tcp://192.0.2.1:2375', PATH: '' },
      dockerProbeTimeoutMs: 1, // would fail loudly if the Docker source were consulted
    });
    expect(broker).toMatchObject({ source: 'env', brokers: ['kafka-a:9092', 'kafka-b:9093'] });
    await expect(broker.stop()).resolves.toBeUndefined();
  });

  it('treats a blank KAFKA_BROKERS as unset', () => {
    expect(parseKafkaBrokers('  , ')).toBeUndefined();
    expect(parseKafkaBrokers(undefined)).toBeUndefined();
    expect(parseKafkaBrokers('h:1')).toEqual(['h:1']);
  });

  it('honours KAFKA_PROVISION_SOURCES and rejects unknown names', async () => {
    await expect(
      provisionKafkaBroker({ env: { KAFKA_BROKERS: 'h:1', KAFKA_PROVISION_SOURCES: 'local-script' }, repoRoot: '/nonexistent' }),
    ).rejects.toThrow(/local-script/);
    await expect(provisionKafkaBroker({ env: { KAFKA_PROVISION_SOURCES: 'env,podman' } })).rejects.toThrow(/unknown source 'podman'/);
  });

  it('reports no container engine quickly when there is no socket and no DOCKER_HOST', async () => {
    const t0 = Date.now();
    const probe = await detectContainerRuntime({ env: {}, socketPaths: ['/nonexistent/docker.sock'] });
    expect(probe.available).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('with a socket hint but no engine answering, reports unavailable within the probe timeout', async () => {
    const t0 = Date.now();
    // A path that exists but is no Docker engine: testcontainers is asked and must not hang.
    const probe = await detectContainerRuntime({ env: {}, socketPaths: [__filename], timeoutMs: 3_000 });
    expect(probe.available).toBe(false);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('says how to get a broker when no source can provide one', async () => {
    // bash is there, java is not (and no JAVA_HOME): the local script is ruled out before it runs.
    const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-java-'));
    fs.symlinkSync(execFileSync('bash', ['-c', 'command -v bash']).toString().trim(), path.join(binDir, 'bash'));
    const attempt = provisionKafkaBroker({ env: { PATH: binDir }, sources: ['env', 'local-script'] });
    await expect(attempt).rejects.toBeInstanceOf(KafkaBrokerUnavailableError);
    await expect(attempt).rejects.toThrow(/KAFKA_BROKERS=host:port/);
    await expect(attempt).rejects.toThrow(/Docker engine/);
    await expect(attempt).rejects.toThrow(/Java 17\+ and Maven/);
    await expect(attempt).rejects.toThrow(/java not found/);
    fs.rmSync(binDir, { recursive: true, force: true });
  });
});

describe('provisionKafkaBroker: a real broker', () => {
  jest.setTimeout(180_000);

  let broker: ProvisionedKafkaBroker | undefined;
  afterAll(async () => {
    await broker?.stop();
  });

  it('without KAFKA_BROKERS or Docker, runs kafka-local.sh; kafkajs creates a topic, produces and consumes; stop() closes the port', async () => {
    const env = envWithoutBrokers();
    const runtime = await detectContainerRuntime({ env });
    // Where Docker exists the automatic choice is testcontainers; this test is about the script.
    broker = await provisionKafkaBroker({ env, sources: runtime.available ? ['local-script'] : undefined });

    expect(broker.source).toBe('local-script');
    expect(broker.brokers).toHaveLength(1);
    const [address] = broker.brokers;
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const port = portOf(address);
    expect(await isPortOpen(port)).toBe(true);

    expect(await roundTrip(broker.brokers, 'test-kit-provision')).toEqual(['one', 'three', 'two']);

    const repoRoot = findRepoRoot(__dirname)!;
    const dataDir = path.join(repoRoot, '.kafka', 'provisioned', `data-${port}`);
    expect(fs.existsSync(dataDir)).toBe(true);

    await broker.stop();
    broker = undefined;
    expect(await isPortOpen(port)).toBe(false);
    expect(await isPortOpen(port + 1)).toBe(false);
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(fs.existsSync(path.join(repoRoot, '.kafka', 'provisioned', `kafka-${port}.pid`))).toBe(false);
  });
});

/** Every value on a one-partition topic, from the beginning, read by a fresh consumer group. */
async function readValues(brokers: string[], topic: string, count: number): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'test-kit-read', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${topic}-${Date.now()}` });
  const values: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read only ${JSON.stringify(values)} of ${count} records`)), 60_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length === count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return values;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

describe('provisionKafkaBroker: restarting a local-script broker', () => {
  jest.setTimeout(240_000);

  let broker: ProvisionedKafkaBroker | undefined;
  afterAll(async () => {
    await broker?.stop();
  });

  it('stops and starts it on the same port with its data, gracefully and by SIGKILL; clients reconnect', async () => {
    broker = await provisionKafkaBroker({ env: envWithoutBrokers(), sources: ['local-script'] });
    expect(broker.restart).toBeDefined();
    const port = portOf(broker.brokers[0]);
    const topic = 'test-kit-restart';
    const kafka = new Kafka({
      clientId: 'test-kit-restart',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 30 },
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ value: 'before' }] });

      let portWhileDown: boolean | undefined;
      await broker.restart!({ whileDown: async () => void (portWhileDown = await isPortOpen(port)) });
      expect(portWhileDown).toBe(false);
      expect(await isPortOpen(port)).toBe(true);
      await producer.send({ topic, acks: -1, messages: [{ value: 'after SIGTERM' }] });

      await broker.restart!({ signal: 'SIGKILL' });
      expect(await isPortOpen(port)).toBe(true);
      await producer.send({ topic, acks: -1, messages: [{ value: 'after SIGKILL' }] });
    } finally {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    }
    expect(await readValues(broker.brokers, topic, 3)).toEqual(['before', 'after SIGTERM', 'after SIGKILL']);

    const dataDir = path.join(findRepoRoot(__dirname)!, '.kafka', 'provisioned', `data-${port}`);
    await broker.stop();
    broker = undefined;
    expect(await isPortOpen(port)).toBe(false);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('has no restart for a broker it did not start', async () => {
    const given = await provisionKafkaBroker({ env: { KAFKA_BROKERS: 'kafka-a:9092' } });
    expect(given.restart).toBeUndefined();
  });
});

describe('kafka global setup / teardown', () => {
  jest.setTimeout(180_000);

  const saved = { brokers: process.env.KAFKA_BROKERS, sources: process.env.KAFKA_PROVISION_SOURCES };
  afterEach(async () => {
    await kafkaGlobalTeardown(); // in case a test failed half-way
    for (const [key, value] of [
      ['KAFKA_BROKERS', saved.brokers],
      ['KAFKA_PROVISION_SOURCES', saved.sources],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('keeps a given KAFKA_BROKERS, shares it across setups and leaves it in place', async () => {
    process.env.KAFKA_BROKERS = 'given:9092';
    await kafkaGlobalSetup({ log: () => undefined });
    await kafkaGlobalSetup({ log: () => undefined }); // a second project of the same run
    expect(process.env.KAFKA_BROKERS).toBe('given:9092');
    await kafkaGlobalTeardown();
    expect(process.env.KAFKA_BROKERS).toBe('given:9092');
    await kafkaGlobalTeardown();
    expect(process.env.KAFKA_BROKERS).toBe('given:9092');
  });

  it('provisions a broker, exports KAFKA_BROKERS, and stops it in teardown', async () => {
    delete process.env.KAFKA_BROKERS;
    delete process.env.KAFKA_PROVISION_SOURCES;
    await kafkaGlobalSetup({ log: () => undefined });
    const brokers = parseKafkaBrokers(process.env.KAFKA_BROKERS);
    expect(brokers).toBeDefined();

    const kafka = new Kafka({ clientId: 'test-kit-global', brokers: brokers!, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'test-kit-global' }], waitForLeaders: true });
    expect(await admin.listTopics()).toContain('test-kit-global');
    await admin.disconnect();

    await kafkaGlobalTeardown();
    expect(process.env.KAFKA_BROKERS).toBeUndefined();
    const [host, port] = [brokers![0].slice(0, brokers![0].lastIndexOf(':')), portOf(brokers![0])];
    expect(await isPortOpen(port, host)).toBe(false);
  });
});
