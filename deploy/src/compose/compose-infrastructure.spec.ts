import { readFileSync } from 'node:fs';
import { loadConfig, topicRegistryFrom, TransportConfig } from '@agentos/runtime';
import { COMPOSE_FILE, composeFile, deployedServices } from './compose-deployment';
import { ComposeService, parseComposeFile } from './compose-file';
import { isKafkaUuid, parseListeners, parseProtocolMap, parseQuorumVoters } from './kafka-settings';
import { WORKER_TYPES } from './service-configs';

const compose = composeFile();
const services = deployedServices(compose);

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

const kafka = service('kafka');
const postgres = service('postgres');
const supervisor = service('supervisor');
const broker = kafka.environment;
/** Names the broker answers to on the compose network. */
const kafkaHostnames = [kafka.name, ...(kafka.hostname ? [kafka.hostname] : [])];

describe('kafka-settings parsers', () => {
  it('parse listeners, voters and protocol maps, and refuse malformed entries', () => {
    expect(parseListeners('A://:9092, B://host:1')).toEqual([
      { name: 'A', host: '', port: 9092 },
      { name: 'B', host: 'host', port: 1 },
    ]);
    expect(parseQuorumVoters('1@kafka:9093')).toEqual([{ id: 1, host: 'kafka', port: 9093 }]);
    expect(parseProtocolMap('A:PLAINTEXT,B:SSL')).toEqual(new Map([['A', 'PLAINTEXT'], ['B', 'SSL']]));
    expect(() => parseListeners('kafka:9092')).toThrow(/NAME:\/\/host:port/);
    expect(() => parseQuorumVoters('kafka:9093')).toThrow(/id@host:port/);
  });

  it('tell a Kafka cluster id from other strings', () => {
    expect(isKafkaUuid('4L6g3nShT-eMCtK--X86sw')).toBe(true);
    expect(isKafkaUuid('agentos-compose-local0')).toBe(false);
    expect(isKafkaUuid('not-22-characters')).toBe(false);
  });
});

describe('compose: the Kafka broker', () => {
  const listeners = parseListeners(broker.KAFKA_LISTENERS);
  const advertised = parseListeners(broker.KAFKA_ADVERTISED_LISTENERS);
  const controllerNames = (broker.KAFKA_CONTROLLER_LISTENER_NAMES ?? '').split(',');
  const listenerPort = (name: string): number | undefined => listeners.find((listener) => listener.name === name)?.port;

  it('is apache/kafka 4.1.1 in KRaft combined mode (broker and controller in one node)', () => {
    expect(kafka.image).toBe('apache/kafka:4.1.1');
    expect(new Set(broker.KAFKA_PROCESS_ROLES?.split(','))).toEqual(new Set(['broker', 'controller']));
  });

  it('is a voter of its own controller quorum, reached on its controller listener', () => {
    const voters = parseQuorumVoters(broker.KAFKA_CONTROLLER_QUORUM_VOTERS);
    expect(voters).toHaveLength(1);
    const self = voters[0]!;
    expect(self.id).toBe(Number(broker.KAFKA_NODE_ID));
    expect(kafkaHostnames).toContain(self.host);
    expect(controllerNames.map(listenerPort)).toContain(self.port);
  });

  it('gives every listener a security protocol and advertises each broker listener on its own port, never the controller', () => {
    const protocols = parseProtocolMap(broker.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP);
    expect(new Set(listeners.map((listener) => listener.port)).size).toBe(listeners.length);
    for (const listener of listeners) expect(protocols.has(listener.name)).toBe(true);
    for (const name of controllerNames) expect(listenerPort(name)).toBeDefined();
    expect(advertised.map((listener) => listener.name).sort()).toEqual(
      listeners.map((listener) => listener.name).filter((name) => !controllerNames.includes(name)).sort(),
    );
    for (const listener of advertised) expect(listener.port).toBe(listenerPort(listener.name));
    expect(advertised.map((listener) => listener.name)).toContain(broker.KAFKA_INTER_BROKER_LISTENER_NAME);
  });

  it.each(services.map((deployed) => [deployed.name, deployed] as const))(
    'is what %s connects to: KAFKA_BROKERS names a listener advertised on the compose network',
    (_name, deployed) => {
      const brokers = loadConfig(TransportConfig, { ...deployed.environment }).KAFKA_BROKERS;
      expect(brokers.length).toBeGreaterThan(0);
      for (const address of brokers) {
        const match = advertised.find((listener) => `${listener.host}:${listener.port}` === address);
        expect(match).toBeDefined();
        expect(kafkaHostnames).toContain(match!.host);
      }
      expect(deployed.compose.dependsOn.kafka).toBe('service_healthy');
    },
  );

  it('publishes its host listener on the port it advertises, on loopback', () => {
    const hostListeners = advertised.filter((listener) => ['127.0.0.1', 'localhost'].includes(listener.host));
    expect(hostListeners).toHaveLength(1);
    const [listener] = hostListeners;
    expect(kafka.ports).toEqual([{ hostIp: '127.0.0.1', published: listener!.port, target: listenerPort(listener!.name) }]);
  });

  it('keeps its log on a named volume, formatted once with a fixed cluster id', () => {
    expect(isKafkaUuid(broker.CLUSTER_ID ?? '')).toBe(true);
    const volume = kafka.volumes.find((candidate) => candidate.target === broker.KAFKA_LOG_DIRS);
    expect(volume).toBeDefined();
    expect(compose.volumes).toContain(volume!.source);
  });

  it('sizes its internal topics, and the services theirs, for one broker', () => {
    for (const name of [
      'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
      'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR',
      'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR',
    ]) {
      expect([name, broker[name]]).toEqual([name, '1']);
    }
    for (const deployed of services) expect(loadConfig(TransportConfig, { ...deployed.environment }).KAFKA_REPLICATION_FACTOR).toBe(1);
  });

  it('is healthy once it answers an API versions request on one of its listeners', () => {
    const command = kafka.healthcheck ?? [];
    expect(command[0]).toBe('CMD');
    expect(command[1]).toBe('/opt/kafka/bin/kafka-broker-api-versions.sh');
    const bootstrap = command[command.indexOf('--bootstrap-server') + 1] ?? '';
    const [host, port] = bootstrap.split(':');
    expect(['localhost', '127.0.0.1', ...kafkaHostnames]).toContain(host);
    expect(listeners.map((listener) => listener.port)).toContain(Number(port));
  });
});

describe('compose: topics', () => {
  const registries = services.map((deployed) => {
    const transport = loadConfig(TransportConfig, { ...deployed.environment });
    return { name: deployed.name, createsTopics: transport.KAFKA_CREATE_TOPICS, registry: topicRegistryFrom(transport) };
  });

  it('come only from the services: the broker creates none on a metadata request', () => {
    expect(broker.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
  });

  it('are created at start-up by every service, from one and the same registry, so no separate step is needed', () => {
    for (const { createsTopics } of registries) expect(createsTopics).toBe(true);
    const [first, ...others] = registries;
    for (const other of others) expect([other.name, other.registry.specs()]).toEqual([other.name, first!.registry.specs()]);
  });

  it('include the task topic of every worker service compose runs', () => {
    const names = registries[0]!.registry.specs().map((spec) => spec.name);
    for (const workerType of Object.values(WORKER_TYPES)) expect(names).toContain(registries[0]!.registry.tasks(workerType));
  });

  it("carry their retention and compaction settings in the registry's specs, which the services create topics with", () => {
    const runs = registries[0]!.registry.specs().find((spec) => spec.role === 'runs');
    expect(runs).toMatchObject({ cleanupPolicy: 'compact,delete', minCompactionLagMs: expect.any(Number) as number });
  });
});

describe('compose: PostgreSQL for the supervisor memory', () => {
  const database = postgres.environment;

  it('is postgres:16 on a named volume, healthy once it accepts TCP connections for its database', () => {
    expect(postgres.image).toBe('postgres:16');
    const volume = postgres.volumes.find((candidate) => candidate.target === '/var/lib/postgresql/data');
    expect(compose.volumes).toContain(volume?.source);
    expect(postgres.healthcheck).toEqual(['CMD', 'pg_isready', '-h', '127.0.0.1', '-U', database.POSTGRES_USER, '-d', database.POSTGRES_DB]);
  });

  it("is where the supervisor's DATABASE_URL points, with its user, password and database", () => {
    const url = new URL(supervisor.environment.DATABASE_URL ?? '');
    expect(url.protocol).toBe('postgres:');
    expect([url.hostname, url.port]).toEqual([postgres.name, '5432']);
    expect([url.username, decodeURIComponent(url.password), url.pathname]).toEqual([database.POSTGRES_USER, database.POSTGRES_PASSWORD, `/${database.POSTGRES_DB}`]);
    expect(supervisor.dependsOn.postgres).toBe('service_healthy');
  });
});

describe('compose: secrets', () => {
  const text = readFileSync(COMPOSE_FILE, 'utf8');

  it('are not in the file: the PostgreSQL password defaults to a value marked local-only, the LLM key to nothing', () => {
    const defaults = [...text.matchAll(/\$\{POSTGRES_PASSWORD:-([^}]*)\}/g)].map((match) => match[1]);
    expect(defaults.length).toBe(2);
    for (const value of defaults) expect(value).toMatch(/local-only/);
    expect(text).not.toMatch(/POSTGRES_PASSWORD: (?!\$\{POSTGRES_PASSWORD:-)/);
    expect(supervisor.environment.LLM_API_KEY).toBe('');
  });

  it('come from the shell or .env when set there', () => {
    const overridden = parseComposeFile(text, { POSTGRES_PASSWORD: 'from-env', LLM_API_KEY: 'sk-from-env', LLM_MODEL: 'gpt-4o-mini' });
    expect(overridden.services.postgres!.environment.POSTGRES_PASSWORD).toBe('from-env');
    expect(new URL(overridden.services.supervisor!.environment.DATABASE_URL!).password).toBe('from-env');
    expect(overridden.services.supervisor!.environment).toMatchObject({ LLM_API_KEY: 'sk-from-env', LLM_MODEL: 'gpt-4o-mini' });
  });
});

describe('compose: services and volumes', () => {
  it('starts the infrastructure before the services, and keeps every volume it mounts declared', () => {
    expect(kafka.healthcheck).toBeDefined();
    expect(postgres.healthcheck).toBeDefined();
    for (const entry of Object.values(compose.services)) {
      for (const volume of entry.volumes) expect([entry.name, compose.volumes.includes(volume.source)]).toEqual([entry.name, true]);
    }
  });
});
