import { TopicRegistry } from '@agentos/contracts';
import { createMessageBus, topicRegistryFrom } from '../bus/create-message-bus';
import { MessageBus } from '../bus/message-bus';
import { loadConfig } from '../config/load-config';
import { TransportConfig } from '../config/transport.config';
import { BusServiceOptions, startBusService } from './start-bus-service';

export type ServiceFactory = (bus: MessageBus, topics: TopicRegistry) => BusServiceOptions;

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
    await startBusService({ ...factory(bus, topics), ownsBus: true });
  };
  start().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
