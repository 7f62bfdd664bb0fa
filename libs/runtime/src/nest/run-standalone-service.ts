import { INestMicroservice, Logger, LoggerService } from '@nestjs/common';
import { TopicRegistry } from '@agentos/contracts';
import { createMessageBus, topicRegistryFrom } from '../bus/create-message-bus';
import { MessageBus } from '../bus/message-bus';
import { loadConfig } from '../config/load-config';
import { LogConfig } from '../config/log.config';
import { OpsConfig } from '../config/ops.config';
import { TracingConfig } from '../config/tracing.config';
import { TransportConfig } from '../config/transport.config';
import { ConfigError } from '../errors/agentos-error';
import { busReadiness } from '../observability/health/bus-readiness';
import { processReadiness } from '../observability/health/readiness-checks';
import { StartupGate } from '../observability/health/startup-gate';
import { createServiceLogger } from '../observability/logging/create-service-logger';
import { processMetrics } from '../observability/metrics/agentos-metrics';
import { OpsServer, startOpsServer } from '../observability/ops-server/start-ops-server';
import { processReports } from '../observability/reports/ops-reports';
import { setDeliveryLogContext } from '../observability/tracing/delivery-log-context';
import { startTracing, TracingHandle } from '../observability/tracing/start-tracing';
import { BusServiceOptions, startBusService } from './start-bus-service';

export type ServiceFactory = (bus: MessageBus, topics: TopicRegistry) => BusServiceOptions;

/** What a stopping process closes, in this order: the ops server, the service (and its bus), then tracing (flushing its spans). */
interface Running {
  readonly app: INestMicroservice;
  readonly ops: OpsServer | undefined;
  readonly tracing: TracingHandle;
}

/**
 * SIGTERM/SIGINT: close the ops server, stop taking messages, let in-flight handlers finish and
 * commit, leave the consumer groups, exit 0; exit 1 if that takes longer than the grace period
 * (Kubernetes sends SIGKILL after its own). Nest's shutdown hooks would re-raise the signal instead.
 * Installed before the service starts: Nest announces the start before `startBusService`
 * returns, and a signal in between must still drain (it waits for `started`).
 */
function exitOnSignals(graceMs: number): { started(running: Running): void } {
  const logger = new Logger('Shutdown');
  let stopping = false;
  let running: Running | undefined;
  const stop = async ({ app, ops, tracing }: Running): Promise<void> => {
    await ops?.close().catch((error: unknown) => logger.warn(`closing the ops server failed: ${error instanceof Error ? error.message : String(error)}`));
    await app.close();
    await tracing.shutdown();
  };
  const drain = (target: Running): void => {
    stop(target).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining in-flight work (grace ${graceMs} ms)`);
    setTimeout(() => {
      logger.error(`still draining after ${graceMs} ms; exiting without a clean shutdown`);
      process.exit(1);
    }, graceMs).unref();
    if (running) drain(running);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return {
    started(target: Running): void {
      running = target;
      if (stopping) drain(target);
    },
  };
}

/** The process-level configuration, every problem of every class reported at once. */
function loadProcessConfig(): { log: LogConfig; ops: OpsConfig; transport: TransportConfig } {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const log = attempt(() => loadConfig(LogConfig));
  const ops = attempt(() => loadConfig(OpsConfig));
  const transport = attempt(() => loadConfig(TransportConfig));
  // Checked here with the rest; startTracing reads it again from the same environment.
  const tracing = attempt(() => loadConfig(TracingConfig));
  if (!log || !ops || !transport || !tracing) throw new ConfigError(problems.join('\n'));
  return { log, ops, transport };
}

/** The ops server when OPS_HTTP_PORT is set; nothing listens otherwise. */
async function startOpsServerIfConfigured(ops: OpsConfig, logger: LoggerService): Promise<OpsServer | undefined> {
  if (ops.OPS_HTTP_PORT === 0) return undefined;
  const server = await startOpsServer({
    host: ops.OPS_HTTP_HOST,
    port: ops.OPS_HTTP_PORT,
    metrics: processMetrics(),
    readiness: processReadiness(),
    reports: processReports(),
    logger,
  });
  logger.log(`ops server on http://${server.host}:${server.port}: GET /health/live, /health/ready, /metrics, /reports`, 'OpsServer');
  return server;
}

/**
 * The body of every service's main.ts: reads the process configuration (transport, logs, ops
 * server), sets up the logger, builds the bus, starts the ops server when OPS_HTTP_PORT is set
 * (liveness answers from then on; readiness once the service has started and its bus is
 * healthy), then starts the service on the bus (the service owns the bus and closes it on
 * SIGTERM). Exits non-zero with the reason when it cannot start.
 */
export function runStandaloneService(serviceName: string, factory: ServiceFactory): void {
  const start = async (): Promise<void> => {
    const { log, ops, transport } = loadProcessConfig();
    const logger = createServiceLogger(serviceName, log);
    const signals = exitOnSignals(transport.AGENTOS_SHUTDOWN_GRACE_MS);
    // Before Nest starts: what the bus and the ops server log goes through it too.
    Logger.overrideLogger(logger);
    // Before the bus exists: its publishes and deliveries are traced from the first (a no-op with OTEL_TRACES_EXPORTER=none).
    const tracing = startTracing(serviceName);
    setDeliveryLogContext(log.LOG_CONTEXT);
    const topics = topicRegistryFrom(transport);
    const bus = createMessageBus(transport, topics);
    const service = factory(bus, topics);

    const startup = new StartupGate();
    processReadiness().register('startup', startup.check);
    processReadiness().register('bus', busReadiness(bus));
    processMetrics().bus.observe(bus);
    const opsServer = await startOpsServerIfConfigured(ops, logger);

    const app = await startBusService({ ...service, ownsBus: true, logger });
    startup.markStarted();
    signals.started({ app, ops: opsServer, tracing });
  };
  start().catch((error: unknown) => {
    // Plain text on stderr, whatever LOG_FORMAT says: the one line an operator needs, before any logger may exist.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
