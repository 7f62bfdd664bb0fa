import { INestMicroservice } from '@nestjs/common';
import { TopicRegistry } from '@agentos/contracts';
import { InProcessBus, startBusService } from '@agentos/runtime';
import { supervisorService } from '@agentos/supervisor';
import { workerIoService } from '@agentos/worker-io';
import { workerLogicService } from '@agentos/worker-logic';

export interface EmbeddedRuntime {
  readonly bus: InProcessBus;
  readonly topics: TopicRegistry;
  close(): Promise<void>;
}

/**
 * The whole system in one process: the supervisor and one instance of each worker type,
 * each its own NestJS microservice, all on one in-process bus. The same service code runs
 * as separate processes on Kafka.
 */
export async function startEmbeddedRuntime(env: NodeJS.ProcessEnv): Promise<EmbeddedRuntime> {
  const topics = new TopicRegistry({ workerTypes: ['io', 'logic'] });
  const bus = new InProcessBus();
  await bus.connect();
  const quiet = { logLevels: ['warn', 'error', 'fatal'] as const };
  const services: INestMicroservice[] = [];
  try {
    for (const service of [supervisorService, workerIoService, workerLogicService]) {
      services.push(await startBusService({ ...service(bus, topics, env), logLevels: [...quiet.logLevels] }));
    }
  } catch (error) {
    await Promise.all(services.map((service) => service.close()));
    throw error;
  }
  return {
    bus,
    topics,
    close: async () => {
      await Promise.all(services.map((service) => service.close()));
      await bus.close();
    },
  };
}
