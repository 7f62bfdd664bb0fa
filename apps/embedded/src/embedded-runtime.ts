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
export const EMBEDDED_SERVICES = { supervisor: supervisorService, io: workerIoService, logic: workerLogicService } as const;

export async function startEmbeddedRuntime(
  env: NodeJS.ProcessEnv,
  services: ReadonlyArray<keyof typeof EMBEDDED_SERVICES> = ['supervisor', 'io', 'logic'],
): Promise<EmbeddedRuntime> {
  const topics = new TopicRegistry({ workerTypes: ['io', 'logic'] });
  const bus = new InProcessBus();
  await bus.connect();
  const quiet = { logLevels: ['error', 'fatal'] as const };
  const started: INestMicroservice[] = [];
  try {
    for (const name of services) {
      started.push(await startBusService({ ...EMBEDDED_SERVICES[name](bus, topics, env), logLevels: [...quiet.logLevels] }));
    }
  } catch (error) {
    await Promise.all(started.map((service) => service.close()));
    throw error;
  }
  return {
    bus,
    topics,
    close: async () => {
      await Promise.all(started.map((service) => service.close()));
      await bus.close();
    },
  };
}
