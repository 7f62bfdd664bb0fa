import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess, waitFor } from '@agentos/test-kit';
import { freshNamespace, serviceEnv } from '../support/kafka-env';
import { freePort, listeningPorts } from './listening-sockets';
import { declaredMetrics } from './prometheus-text';

jest.setTimeout(60_000);

/** The agentos_ metrics a supervisor's /metrics declares, whatever it has done yet. */
const SUPERVISOR_METRICS = [
  'agentos_goals_total',
  'agentos_tasks_total',
  'agentos_task_duration_seconds',
  'agentos_tasks_in_flight',
  'agentos_pool_concurrency_limit',
  'agentos_memory_decisions_total',
  'agentos_llm_tokens_total',
  'agentos_dead_letters_total',
  'agentos_consumer_lag_records',
];

describe('the ops HTTP server of a service process (the supervisor)', () => {
  const started: ServiceProcess[] = [];
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentos-ops-e2e-'));
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((service) => service.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>): Promise<ServiceProcess> => {
    const service = new ServiceProcess('supervisor', { MEMORY_DATA_DIR: dataDir, ...env });
    started.push(service);
    return service.ready();
  };

  it('serves /health/live, /health/ready (bus and memory store), /metrics and /reports/memory on OPS_HTTP_PORT only, and logs JSON', async () => {
    const port = await freePort();
    const supervisor = await start({ AGENTOS_TRANSPORT: 'in-process', OPS_HTTP_PORT: String(port) });
    const url = (path: string) => `http://127.0.0.1:${port}${path}`;

    const live = await fetch(url('/health/live'));
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok', info: { process: { status: 'up', pid: supervisor.pid } } });

    // Ready once the service has started; `ready()` above waited for the same moment.
    const ready = await waitFor(
      async () => {
        const response = await fetch(url('/health/ready'));
        return response.status === 200 && ((await response.json()) as Record<string, unknown>);
      },
      { timeoutMs: 10_000, description: 'the supervisor to report ready' },
    );
    expect(ready).toMatchObject({
      status: 'ok',
      info: { startup: { status: 'up' }, bus: { status: 'up' }, memory: { status: 'up', store: 'sqlite' } },
    });

    const metrics = await fetch(url('/metrics'));
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain;/);
    const declared = declaredMetrics(await metrics.text());
    expect(declared).toEqual(expect.arrayContaining([...SUPERVISOR_METRICS, 'process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds']));

    // What memory has learned (nothing yet: a fresh store), as `npm run memory:inspect --json` shows it.
    const memory = await fetch(url('/reports/memory'));
    expect(memory.status).toBe(200);
    expect(await memory.json()).toEqual({ store: 'sqlite', runs: 0, tools: [], recoveries: [], plans: { shapes: 0, entries: [] } });

    expect(listeningPorts(supervisor.pid!)).toEqual([port]);

    const lines = supervisor.log.split('\n').filter((line) => line.length > 0);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.length).toBeGreaterThan(3);
    for (const line of parsed) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), service: 'supervisor', msg: expect.any(String) });
    expect(parsed).toContainEqual(expect.objectContaining({ level: 'info', context: 'NestMicroservice', msg: 'Nest microservice successfully started' }));
    expect(parsed).toContainEqual(expect.objectContaining({ context: 'OpsServer', msg: `ops server on http://127.0.0.1:${port}: GET /health/live, /health/ready, /metrics, /reports` }));

    expect(await supervisor.stop()).toBe(0);
  });

  it('listens on no port at all without OPS_HTTP_PORT (and logs in the console format when asked)', async () => {
    // On Kafka: alone on the in-process bus, with nothing to listen to, a service process has nothing keeping it alive.
    const supervisor = await start(serviceEnv(freshNamespace().namespace, { LOG_FORMAT: 'text' }));
    expect(listeningPorts(supervisor.pid!)).toEqual([]);
    const text = supervisor.log.replace(/\u001b\[[0-9;]*m/g, '');
    expect(text).toMatch(/^\[Nest\] \d+ {2}- .* {4}LOG \[NestMicroservice\] Nest microservice successfully started$/m);
    expect(text).not.toMatch(/^\{/m);
    expect(await supervisor.stop()).toBe(0);
  });

  it('refuses an invalid ops or log configuration at start, naming every problem', async () => {
    const supervisor = new ServiceProcess('supervisor', { AGENTOS_TRANSPORT: 'in-process', MEMORY_DATA_DIR: dataDir, OPS_HTTP_PORT: '70000', LOG_LEVEL: 'loud' });
    started.push(supervisor);
    await expect(supervisor.ready()).rejects.toThrow(/exited with 1 before it started[\s\S]*LOG_LEVEL[\s\S]*OPS_HTTP_PORT/);
  });
});
