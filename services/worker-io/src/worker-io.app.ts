import { Module } from '@nestjs/common';
import { TopicRegistry } from '@agentos/contracts';
import { BusModule, BusServiceOptions, loadConfig, MessageBus } from '@agentos/runtime';
import { WorkerConfig, WorkerModule, workerSettings, workerSubscriptions } from '@agentos/worker-kit';
import { WorkerIoConfig } from './config/worker-io.config';
import { createIoTools } from './io-tools.providers';

export const IO_WORKER_TYPE = 'io';

@Module({})
class WorkerIoApp {}

/** The io worker (files, HTTP) on the process's bus, configured from `env`. */
export function workerIoService(bus: MessageBus, topics: TopicRegistry, env: NodeJS.ProcessEnv = process.env): BusServiceOptions {
  const settings = workerSettings(IO_WORKER_TYPE, loadConfig(WorkerConfig, env));
  const tools = createIoTools(loadConfig(WorkerIoConfig, env));
  return {
    module: { module: WorkerIoApp, imports: [BusModule.forRoot(bus, topics), WorkerModule.forRoot({ settings, tools })] },
    bus,
    subscriptions: workerSubscriptions(settings, topics),
  };
}
