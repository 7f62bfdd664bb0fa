/**
 * A real Apache Kafka broker for tests, wherever they run.
 *
 * Sources, tried in order (override with `options.sources` or KAFKA_PROVISION_SOURCES):
 *  1. `env`            KAFKA_BROKERS=host:port[,host:port] — an existing broker; stop() does nothing.
 *  2. `testcontainers` apache/kafka (KRaft) in Docker, when a container engine answers quickly.
 *  3. `local-script`   tools/kafka/kafka-local.sh: the broker jars from Maven Central run on the
 *                      local JDK, bound to 127.0.0.1 on a free port, with its own data dir.
 * A source that is unavailable (or fails to start) passes to the next; when none is left the
 * error says how to get a broker.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';

export type KafkaBrokerSource = 'env' | 'testcontainers' | 'local-script';

export interface ProvisionedKafkaBroker {
  /** Bootstrap servers, `host:port`. */
  brokers: string[];
  source: KafkaBrokerSource;
  /** Stops what this call started (idempotent); a no-op for `env`. */
  stop(): Promise<void>;
  /**
   * `local-script` only: stops the broker process and starts it again on the same ports with the
   * same data dir, so topics, records and committed offsets survive, as in an operator's restart
   * (SIGTERM, the default: a controlled shutdown) or a crash (SIGKILL). Clients see the broker
   * vanish and come back at the same address. Resolves once it serves again.
   */
  restart?(options?: BrokerRestartOptions): Promise<void>;
}

export interface BrokerRestartOptions {
  /** SIGTERM (default): controlled shutdown through kafka-local.sh stop; SIGKILL: the JVM dies at once. */
  signal?: 'SIGTERM' | 'SIGKILL';
  /** Runs while the broker is down (its port closed), before it starts again. */
  whileDown?: () => Promise<void>;
}

export interface ProvisionKafkaBrokerOptions {
  /** Environment to read (KAFKA_BROKERS, DOCKER_HOST, PATH, JAVA_HOME, ...). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Sources to try, in order. Default: KAFKA_PROVISION_SOURCES (comma-separated) or all three. */
  sources?: readonly KafkaBrokerSource[];
  /** Monorepo root (holds tools/kafka/kafka-local.sh). Default: found upwards from this file. */
  repoRoot?: string;
  /** How long the container engine may take to answer. Default 3 s. */
  dockerProbeTimeoutMs?: number;
  /** Image for the testcontainers source. Default apache/kafka:4.1.1. */
  image?: string;
  /** Broker start deadline (container or local JVM). Default 120 s. */
  startTimeoutMs?: number;
  /** One-time jar download deadline for the local script. Default 10 min. */
  installTimeoutMs?: number;
  /** Progress lines (which source, install, start). Default: silent. */
  log?: (line: string) => void;
}

export const KAFKA_VERSION = '4.1.1';
export const DEFAULT_KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;
export const DEFAULT_KAFKA_SOURCES: readonly KafkaBrokerSource[] = ['env', 'testcontainers', 'local-script'];

const LOCAL_SCRIPT = path.join('tools', 'kafka', 'kafka-local.sh');
const PORT_TAKEN_EXIT_CODE = 4; // kafka-local.sh: "port already in use"
const STARTED_MESSAGE = 'Kafka Server started';

/** Thrown when no source could provide a broker; the message says how to get one. */
export class KafkaBrokerUnavailableError extends Error {
  constructor(readonly attempts: ReadonlyArray<{ source: KafkaBrokerSource; reason: string }>) {
    super(
      [
        'No Kafka broker for the tests. Tried:',
        ...attempts.map((a) => `  - ${a.source}: ${a.reason}`),
        'Get one in any of these ways:',
        '  - point the tests at a running broker: KAFKA_BROKERS=host:port[,host:port]',
        `  - start a Docker engine (Testcontainers then runs ${DEFAULT_KAFKA_IMAGE})`,
        '  - install Java 17+ and Maven 3.6+ so tools/kafka/kafka-local.sh can run a local broker (see tools/kafka/README.md)',
      ].join('\n'),
    );
    this.name = 'KafkaBrokerUnavailableError';
  }
}

/** `KAFKA_BROKERS` as a list; undefined when unset or blank. */
export function parseKafkaBrokers(value: string | undefined): string[] | undefined {
  const brokers = (value ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  return brokers.length > 0 ? brokers : undefined;
}

export async function provisionKafkaBroker(options: ProvisionKafkaBrokerOptions = {}): Promise<ProvisionedKafkaBroker> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const sources = options.sources ?? sourcesFromEnv(env) ?? DEFAULT_KAFKA_SOURCES;
  const attempts: Array<{ source: KafkaBrokerSource; reason: string }> = [];

  for (const source of sources) {
    if (source === 'env') {
      const brokers = parseKafkaBrokers(env.KAFKA_BROKERS);
      if (brokers) {
        log(`using KAFKA_BROKERS=${brokers.join(',')}`);
        return { brokers, source, stop: async () => undefined };
      }
      attempts.push({ source, reason: 'KAFKA_BROKERS is not set' });
    } else if (source === 'testcontainers') {
      const runtime = await detectContainerRuntime({ env, timeoutMs: options.dockerProbeTimeoutMs });
      if (!runtime.available) {
        attempts.push({ source, reason: runtime.reason });
        continue;
      }
      try {
        log(`container engine found (${runtime.reason}); starting ${options.image ?? DEFAULT_KAFKA_IMAGE}`);
        return await startKafkaContainer(options, log);
      } catch (err) {
        attempts.push({ source, reason: `container did not start: ${errorMessage(err)}` });
        log(`testcontainers failed: ${errorMessage(err)}`);
      }
    } else if (source === 'local-script') {
      const repoRoot = options.repoRoot ?? findRepoRoot(__dirname);
      const missing = repoRoot ? localScriptPrerequisites(repoRoot, env) : `${LOCAL_SCRIPT} not found above ${__dirname}`;
      if (missing || !repoRoot) {
        attempts.push({ source, reason: missing ?? 'repo root not found' });
        continue;
      }
      try {
        return await startLocalScriptBroker(repoRoot, env, options, log);
      } catch (err) {
        attempts.push({ source, reason: errorMessage(err) });
        log(`local script failed: ${errorMessage(err)}`);
      }
    } else {
      attempts.push({ source, reason: `unknown source '${String(source)}'` });
    }
  }
  throw new KafkaBrokerUnavailableError(attempts);
}

function sourcesFromEnv(env: NodeJS.ProcessEnv): KafkaBrokerSource[] | undefined {
  const raw = env.KAFKA_PROVISION_SOURCES?.trim();
  if (!raw) return undefined;
  const sources = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of sources) {
    if (!DEFAULT_KAFKA_SOURCES.includes(s as KafkaBrokerSource)) {
      throw new Error(`KAFKA_PROVISION_SOURCES: unknown source '${s}' (use ${DEFAULT_KAFKA_SOURCES.join(', ')})`);
    }
  }
  return sources as KafkaBrokerSource[];
}

// ---------------------------------------------------------------------------
// Docker / Testcontainers

export interface ContainerRuntimeProbe {
  available: boolean;
  reason: string;
}

/**
 * Whether a container engine answers. Cheap when there is plainly none (no DOCKER_HOST, no
 * ~/.testcontainers.properties, no known socket): testcontainers is not even loaded. Otherwise
 * asks testcontainers for a client, giving up after `timeoutMs` (default 3 s) so it never hangs.
 */
export async function detectContainerRuntime(
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; socketPaths?: readonly string[] } = {},
): Promise<ContainerRuntimeProbe> {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? 3_000;
  const hint = containerRuntimeHint(env, opts.socketPaths);
  if (!hint) {
    return { available: false, reason: 'no Docker engine (DOCKER_HOST unset, no ~/.testcontainers.properties, no docker socket)' };
  }
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await withTimeout(getContainerRuntimeClient(), timeoutMs, `no answer within ${timeoutMs} ms`);
    return { available: true, reason: `${hint}; ${client.info.containerRuntime.host}` };
  } catch (err) {
    return { available: false, reason: `Docker engine not reachable via ${hint}: ${errorMessage(err)}` };
  }
}

function containerRuntimeHint(env: NodeJS.ProcessEnv, socketPaths?: readonly string[]): string | undefined {
  if (env.DOCKER_HOST) return `DOCKER_HOST=${env.DOCKER_HOST}`;
  if (env.TESTCONTAINERS_HOST_OVERRIDE) return `TESTCONTAINERS_HOST_OVERRIDE=${env.TESTCONTAINERS_HOST_OVERRIDE}`;
  const home = os.homedir();
  const tcProps = path.join(home, '.testcontainers.properties');
  if (!socketPaths && fs.existsSync(tcProps)) return tcProps;
  if (!socketPaths && process.platform === 'win32') return 'Windows named pipe';
  const candidates = socketPaths ?? [
    '/var/run/docker.sock',
    env.XDG_RUNTIME_DIR && path.join(env.XDG_RUNTIME_DIR, 'docker.sock'),
    path.join(home, '.docker', 'run', 'docker.sock'),
    path.join(home, '.docker', 'desktop', 'docker.sock'),
    typeof process.getuid === 'function' ? `/run/user/${process.getuid()}/docker.sock` : undefined,
  ];
  return candidates.find((p): p is string => typeof p === 'string' && fs.existsSync(p));
}

/**
 * @testcontainers/kafka 11.x only drives Confluent images (cp-kafka's /etc/confluent/docker/run),
 * so the official apache/kafka image is run as a GenericContainer, the way Testcontainers for Java
 * does it: the container waits for a starter script, which we write once the mapped port is known
 * (the advertised listener must name it), then the image's own /etc/kafka/docker/run takes over.
 * Broker settings mirror tools/kafka/kafka-local.sh.
 */
export function kafkaContainerEnvironment(clusterId: string): Record<string, string> {
  return {
    CLUSTER_ID: clusterId,
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:9093,CONTROLLER://0.0.0.0:9094',
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9094',
    KAFKA_NUM_PARTITIONS: '1',
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    KAFKA_HEAP_OPTS: '-Xms256m -Xmx768m',
  };
}

async function startKafkaContainer(
  options: ProvisionKafkaBrokerOptions,
  log: (line: string) => void,
): Promise<ProvisionedKafkaBroker> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const starter = '/tmp/agentos_kafka_start.sh';
  const ready = '/tmp/agentos_kafka_start.ready';
  const waiting = 'Waiting for the Kafka starter script';
  const clusterId = randomBytes(16).toString('base64url');

  const container = await new GenericContainer(options.image ?? DEFAULT_KAFKA_IMAGE)
    .withEnvironment(kafkaContainerEnvironment(clusterId))
    .withExposedPorts(9092)
    // The ready flag is copied after the script, so the script is never exec'd while still being written.
    .withCommand(['sh', '-c', `echo '${waiting}'; while [ ! -f ${ready} ]; do sleep 0.1; done; exec ${starter}`])
    .withWaitStrategy(Wait.forLogMessage(waiting))
    .withStartupTimeout(startTimeoutMs)
    .start();
  try {
    const host = container.getHost();
    const port = container.getMappedPort(9092);
    const script = [
      '#!/bin/bash',
      `export KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://${host}:${port},BROKER://${container.getHostname()}:9093`,
      'exec /etc/kafka/docker/run',
      '',
    ].join('\n');
    await container.copyContentToContainer([{ content: script, target: starter, mode: 0o755 }]);
    await container.copyContentToContainer([{ content: '', target: ready, mode: 0o644 }]);
    await waitForLogLine(await container.logs(), STARTED_MESSAGE, startTimeoutMs);
    log(`broker container ${container.getId().slice(0, 12)} ready at ${host}:${port}`);
    return { brokers: [`${host}:${port}`], source: 'testcontainers', stop: once(async () => void (await container.stop())) };
  } catch (err) {
    await container.stop().catch(() => undefined);
    throw err;
  }
}

function waitForLogLine(stream: Readable, needle: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let tail = '';
    const finish = (err?: Error) => {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(
      () => finish(new Error(`"${needle}" not logged within ${timeoutMs} ms; last output:\n${tail.slice(-2000)}`)),
      timeoutMs,
    );
    stream.on('data', (chunk: Buffer | string) => {
      tail = (tail + chunk.toString()).slice(-8192);
      if (tail.includes(needle)) finish();
    });
    stream.once('error', (err) => finish(err));
    stream.once('end', () => finish(new Error(`container log ended before "${needle}"; last output:\n${tail.slice(-2000)}`)));
  });
}

// ---------------------------------------------------------------------------
// Local script (JDK + Maven)

/** The directory above `start` that holds tools/kafka/kafka-local.sh. */
export function findRepoRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, LOCAL_SCRIPT))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Why the local script cannot run here, or undefined when it can. Spawns nothing. */
export function localScriptPrerequisites(repoRoot: string, env: NodeJS.ProcessEnv): string | undefined {
  if (process.platform === 'win32') return 'kafka-local.sh needs a Unix shell (use WSL, Docker or KAFKA_BROKERS on Windows)';
  if (!fs.existsSync(path.join(repoRoot, LOCAL_SCRIPT))) return `${LOCAL_SCRIPT} not found in ${repoRoot}`;
  if (!findExecutable('bash', env)) return 'bash not found on PATH';
  const javaHome = env.JAVA_HOME && path.join(env.JAVA_HOME, 'bin', 'java');
  if (!(javaHome && isExecutable(javaHome)) && !findExecutable('java', env)) {
    return 'java not found (no $JAVA_HOME/bin/java, none on PATH); install a JDK 17+';
  }
  const libDir = path.join(env.KAFKA_HOME || path.join(repoRoot, '.kafka'), 'lib');
  const installed = fs.existsSync(path.join(libDir, `.installed-kafka-${KAFKA_VERSION}`));
  if (!installed && !findExecutable('mvn', env)) {
    return `Kafka jars not installed in ${libDir} and mvn not found on PATH to fetch them; install Maven 3.6+`;
  }
  return undefined;
}

async function startLocalScriptBroker(
  repoRoot: string,
  env: NodeJS.ProcessEnv,
  options: ProvisionKafkaBrokerOptions,
  log: (line: string) => void,
): Promise<ProvisionedKafkaBroker> {
  const script = path.join(repoRoot, LOCAL_SCRIPT);
  const workDir = path.join(repoRoot, '.kafka', 'provisioned');
  await fs.promises.mkdir(workDir, { recursive: true });
  await removeStaleLocalBrokers(workDir);
  const baseEnv: NodeJS.ProcessEnv = { ...env };
  delete baseEnv.KAFKA_BROKERS;

  const installStarted = Date.now();
  const install = await runScript(script, ['install'], {
    cwd: repoRoot,
    env: baseEnv,
    logFile: path.join(workDir, 'install.log'),
    timeoutMs: options.installTimeoutMs ?? 600_000,
    onStart: () => log(`installing Kafka ${KAFKA_VERSION} jars if needed (log: ${path.join(workDir, 'install.log')})`),
  });
  if (install.code !== 0) throw scriptError('install', install);
  log(`install checked in ${Date.now() - installStarted} ms`);

  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePortPair();
    const dataDir = path.join(workDir, `data-${port}`);
    const logFile = path.join(workDir, `broker-${port}.log`);
    const scriptEnv: NodeJS.ProcessEnv = {
      ...baseEnv,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(port + 1),
      KAFKA_DATA_DIR: dataDir,
      KAFKA_PID_FILE: path.join(workDir, `kafka-${port}.pid`),
      KAFKA_START_TIMEOUT: String(Math.ceil(startTimeoutMs / 1000)),
      // If this process dies without calling stop(), the script's watchdog stops the broker.
      KAFKA_STOP_WITH_PID: String(process.pid),
    };
    const started = Date.now();
    const result = await runScript(script, ['start', '--fresh'], {
      cwd: repoRoot,
      env: scriptEnv,
      logFile,
      timeoutMs: startTimeoutMs + 30_000,
    });
    if (result.code === PORT_TAKEN_EXIT_CODE && attempt < 3) {
      log(`port ${port} was taken meanwhile; trying another`);
      continue;
    }
    if (result.code !== 0) {
      await runScript(script, ['stop'], { cwd: repoRoot, env: scriptEnv, logFile, timeoutMs: 60_000 }).catch(() => undefined);
      throw scriptError('start', result);
    }
    const line = result.stdout.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
    const brokers = parseKafkaBrokers(line?.slice('KAFKA_BROKERS='.length));
    if (!brokers) throw new Error(`kafka-local.sh start printed no KAFKA_BROKERS line (log: ${logFile})`);
    log(`local broker ready at ${brokers.join(',')} in ${Date.now() - started} ms (log: ${logFile})`);

    let restarting: Promise<void> | undefined;
    let stopped = false;
    const stop = once(async () => {
      stopped = true;
      await restarting?.catch(() => undefined);
      const res = await runScript(script, ['stop'], { cwd: repoRoot, env: scriptEnv, logFile, timeoutMs: 60_000 });
      if (res.code !== 0) throw scriptError('stop', res);
      await waitForPortClosed(port, 10_000);
      await fs.promises.rm(dataDir, { recursive: true, force: true });
      await fs.promises.rm(logFile, { force: true });
    });
    const restartOnce = async ({ signal = 'SIGTERM', whileDown }: BrokerRestartOptions = {}): Promise<void> => {
      if (signal === 'SIGKILL') {
        const pid = Number((await fs.promises.readFile(scriptEnv.KAFKA_PID_FILE!, 'utf8')).trim());
        if (!(pid > 0)) throw new Error(`no broker pid in ${scriptEnv.KAFKA_PID_FILE}`);
        process.kill(pid, 'SIGKILL');
        await waitForProcessGone(pid, 10_000);
      } else {
        const res = await runScript(script, ['stop'], { cwd: repoRoot, env: scriptEnv, logFile, timeoutMs: 60_000 });
        if (res.code !== 0) throw scriptError('stop', res);
      }
      await waitForPortClosed(port, 10_000);
      log(`broker ${brokers.join(',')} stopped (${signal}); data kept in ${dataDir}`);
      await whileDown?.();
      if (stopped) throw new Error('the broker was stopped while it was down for a restart');
      const startedAgain = Date.now();
      // Without --fresh: the data dir is kept, and the ports are the same ones.
      const res = await runScript(script, ['start'], { cwd: repoRoot, env: scriptEnv, logFile, timeoutMs: startTimeoutMs + 30_000 });
      if (res.code !== 0) throw scriptError('restart', res);
      log(`broker ${brokers.join(',')} serving again in ${Date.now() - startedAgain} ms`);
    };
    const restart = (options?: BrokerRestartOptions): Promise<void> => {
      if (stopped) return Promise.reject(new Error('the broker was stopped'));
      if (restarting) return Promise.reject(new Error('the broker is already restarting'));
      restarting = restartOnce(options).finally(() => {
        restarting = undefined;
      });
      return restarting;
    };
    return { brokers, source: 'local-script', stop, restart };
  }
}

interface ScriptResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  output: string;
  logFile: string;
  timedOut: boolean;
}

/** Runs kafka-local.sh, streaming its output to `logFile`; never blocks, always bounded by `timeoutMs`. */
function runScript(
  script: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; timeoutMs: number; onStart?: () => void },
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const logStream = fs.createWriteStream(opts.logFile, { flags: 'a' });
    logStream.write(`\n$ kafka-local.sh ${args.join(' ')}   # ${new Date().toISOString()}\n`);
    const child = spawn('bash', [script, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    let timedOut = false;
    const keep = (s: string, chunk: string) => (s + chunk).slice(-16_384);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = keep(stdout, chunk.toString());
      output = keep(output, chunk.toString());
      logStream.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output = keep(output, chunk.toString());
      logStream.write(chunk);
    });
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    }, opts.timeoutMs);
    child.once('spawn', () => opts.onStart?.());
    child.once('error', (err) => {
      clearTimeout(timer);
      logStream.end();
      reject(new Error(`could not run ${script}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      logStream.end(() => resolve({ code, signal, stdout, output, logFile: opts.logFile, timedOut }));
    });
  });
}

function scriptError(step: string, r: ScriptResult): Error {
  const why = r.timedOut ? 'timed out' : r.signal ? `was killed by ${r.signal}` : `exited with ${r.code}`;
  const tail = r.output.trim().split('\n').slice(-15).join('\n');
  return new Error(`kafka-local.sh ${step} ${why} (log: ${r.logFile})\n${tail}`);
}

/** Data dirs of brokers whose process is gone (a run killed before stop()). */
async function removeStaleLocalBrokers(workDir: string): Promise<void> {
  const entries = await fs.promises.readdir(workDir).catch(() => [] as string[]);
  const tenMinutesAgo = Date.now() - 10 * 60_000;
  for (const name of entries) {
    const match = /^data-(\d+)$/.exec(name);
    if (!match) continue;
    const port = match[1];
    const pidFile = path.join(workDir, `kafka-${port}.pid`);
    const pid = Number((await fs.promises.readFile(pidFile, 'utf8').catch(() => '')).trim());
    if (pid > 0 && isProcessAlive(pid)) continue;
    const stat = await fs.promises.stat(path.join(workDir, name)).catch(() => undefined);
    // No pid file yet may mean a broker being formatted right now by a parallel run.
    if (!(pid > 0) && stat && stat.mtimeMs > tenMinutesAgo) continue;
    await fs.promises.rm(path.join(workDir, name), { recursive: true, force: true });
    await fs.promises.rm(pidFile, { force: true });
    await fs.promises.rm(path.join(workDir, `broker-${port}.log`), { force: true });
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A port p with p+1 (the controller) also free on 127.0.0.1, below the usual ephemeral ranges. */
export async function findFreePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const first = await tryListen(port);
    if (!first) continue;
    const second = await tryListen(port + 1);
    await closeServer(first);
    if (!second) continue;
    await closeServer(second);
    return port;
  }
  throw new Error('no free pair of TCP ports found on 127.0.0.1 in 20000-32000');
}

function tryListen(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until `pid` has exited (a zombie counts as gone: its launcher may never reap it). */
async function waitForProcessGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid) && !isZombie(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still running ${timeoutMs} ms after SIGKILL`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat: "pid (comm) state ...", and comm may hold spaces or parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

async function waitForPortClosed(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await isPortOpen(port)) {
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} still accepts connections ${timeoutMs} ms after stop`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------
// small helpers

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  promise.catch(() => undefined); // a late rejection after the timeout must not go unhandled
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
