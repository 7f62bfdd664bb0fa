import { INestMicroservice, Logger } from '@nestjs/common';
import { TopicRegistry } from '@agentos/contracts';
import { createMessageBus, topicRegistryFrom } from '../bus/create-message-bus';
import { MessageBus } from '../bus/message-bus';
import { loadConfig } from '../config/load-config';
import { TransportConfig } from '../config/transport.config';
import { BusServiceOptions, startBusService } from './start-bus-service';

export type ServiceFactory = (bus: MessageBus, topics: TopicRegistry) => BusServiceOptions;

/**
 * SIGTERM/SIGINT: stop taking messages, let in-flight handlers finish and commit, leave the
 * consumer groups, exit 0; exit 1 if that takes longer than the grace period (Kubernetes
 * sends SIGKILL after its own). Nest's shutdown hooks would re-raise the signal instead.
 */
function exitOnSignals(app: INestMicroservice, graceMs: number): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining in-flight work (grace ${graceMs} ms)`);
    setTimeout(() => {
      logger.error(`still draining after ${graceMs} ms; exiting without a clean shutdown`);
      process.exit(1);
    }, graceMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/**
 * The body of every service's main.ts: reads the transport configuration, builds the bus,
 * starts the service on it (the service owns the bus and closes it on SIGTERM), and exits
 * non-zero with the reason when it cannot start.
 */
export function runStandaloneService(factory: ServiceFactory): void {
  const start = async (): Promise<void> => {
    const transport = loadConfig(TransportConfig);
    const topics = topicRegistryFrom(transport);
    const bus = createMessageBus(transport, topics);
    const app = await startBusService({ ...factory(bus, topics), ownsBus: true });
    exitOnSignals(app, transport.AGENTOS_SHUTDOWN_GRACE_MS);
  };
  start().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
