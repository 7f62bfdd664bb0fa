import { Registry } from 'prom-client';
import { ReadinessChecks } from '../health/readiness-checks';
import { JsonLogger } from '../logging/json-logger';
import { AgentOsMetrics } from '../metrics/agentos-metrics';
import { OpsReports } from '../reports/ops-reports';
import { OpsServer, startOpsServer } from './start-ops-server';

describe('startOpsServer', () => {
  let server: OpsServer | undefined;
  let readiness: ReadinessChecks;
  let metrics: AgentOsMetrics;
  let reports: OpsReports;
  let logLines: string[];

  beforeEach(async () => {
    readiness = new ReadinessChecks();
    metrics = new AgentOsMetrics({ registry: new Registry() });
    reports = new OpsReports();
    logLines = [];
    const logger = new JsonLogger({ service: 'supervisor', level: 'info', destination: { write: (line: string) => void logLines.push(line) } });
    server = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, readiness, reports, logger, readinessTimeoutMs: 200 });
  });

  afterEach(async () => {
    await server?.close();
  });

  const get = (path: string): Promise<Response> => fetch(`http://127.0.0.1:${server!.port}${path}`);
  const logged = (): Array<Record<string, unknown>> => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('listens on the host and the port it was given (a free one for 0)', () => {
    expect(server!.host).toBe('127.0.0.1');
    expect(server!.port).toBeGreaterThan(0);
  });

  it('answers GET /health/live while the event loop runs', async () => {
    const response = await get('/health/live');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { process: { status: 'up', pid: process.pid } } });
  });

  it('answers GET /health/ready with 200 while every check passes, and 503 naming the failing one and why', async () => {
    let storeUp = true;
    readiness.register('bus', () => ({ ready: true, details: { subscriptions: [] } }));
    readiness.register('memory', async () => {
      if (!storeUp) throw new Error('postgres memory store postgres://agentos:***@db/agentos: ping failed: ECONNREFUSED');
      return { ready: true, details: { store: 'postgres' } };
    });

    const ok = await get('/health/ready');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', info: { bus: { status: 'up' }, memory: { status: 'up', store: 'postgres' } } });

    storeUp = false;
    const down = await get('/health/ready');
    expect(down.status).toBe(503);
    const body = (await down.json()) as { status: string; error: Record<string, { status: string; reason: string }>; info: object };
    expect(body.status).toBe('error');
    expect(body.error).toEqual({ memory: { status: 'down', reason: 'postgres memory store postgres://agentos:***@db/agentos: ping failed: ECONNREFUSED' } });
    expect(body.info).toMatchObject({ bus: { status: 'up' } });
    await get('/health/ready');

    storeUp = true;
    expect((await get('/health/ready')).status).toBe(200);
    const transitions = logged().filter((line) => line.context === 'Readiness');
    expect(transitions.map((line) => [line.level, line.msg])).toEqual([
      ['warn', 'not ready: memory: postgres memory store postgres://agentos:***@db/agentos: ping failed: ECONNREFUSED'],
      ['info', 'ready again'],
    ]);
  });

  it('counts a check that does not answer in time as not ready', async () => {
    readiness.register('memory', () => new Promise(() => undefined));
    const response = await get('/health/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { memory: { status: 'down', reason: 'memory: no answer within 200 ms' } } });
  });

  it('serves GET /metrics in the Prometheus text format, AgentOS and process metrics together', async () => {
    metrics.supervisor.goalFinished('succeeded');
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    // Express puts charset first; Prometheus reads the parameters in any order.
    const [mediaType, ...parameters] = response.headers.get('content-type')!.split(/;\s*/);
    expect(mediaType).toBe('text/plain');
    expect(parameters.sort()).toEqual(['charset=utf-8', 'version=0.0.4']);
    const text = await response.text();
    expect(text).toContain('agentos_goals_total{status="succeeded"} 1');
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('serves the reports services registered at GET /reports/<name>, 404 for an unknown one, 503 when one fails', async () => {
    let runs = 3;
    const unregister = reports.register('memory', async () => ({ store: 'sqlite', runs }));
    reports.register('broken', async () => {
      throw new Error('memory store closed');
    });
    expect(await (await get('/reports')).json()).toEqual({ reports: ['broken', 'memory'] });
    expect(await (await get('/reports/memory')).json()).toEqual({ store: 'sqlite', runs: 3 });
    runs = 4;
    expect(await (await get('/reports/memory')).json()).toEqual({ store: 'sqlite', runs: 4 });
    const unknown = await get('/reports/nope');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toBe('no report "nope"; known: broken, memory');
    const broken = await get('/reports/broken');
    expect(broken.status).toBe(503);
    expect(((await broken.json()) as { message: string }).message).toBe('report broken failed: memory store closed');
    unregister();
    expect((await get('/reports/memory')).status).toBe(404);
  });

  it('serves nothing else', async () => {
    expect((await get('/')).status).toBe(404);
    expect((await get('/health')).status).toBe(404);
  });

  it('stops listening when closed, even with a keep-alive connection open', async () => {
    expect((await get('/health/live')).status).toBe(200);
    await server!.close();
    await expect(get('/health/live')).rejects.toThrow();
    server = undefined;
  });

  it('fails to start, saying why, on a port already taken', async () => {
    await expect(startOpsServer({ host: '127.0.0.1', port: server!.port, metrics, readiness })).rejects.toThrow(/EADDRINUSE/);
    expect((await get('/health/live')).status).toBe(200);
  });
});
