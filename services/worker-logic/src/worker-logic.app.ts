import { Module } from '@nestjs/common';
import { TopicRegistry } from '@agentos/contracts';
import { BusModule, BusServiceOptions, loadConfig, MessageBus } from '@agentos/runtime';
import { WorkerConfig, WorkerModule, workerSettings, workerSubscriptions } from '@agentos/worker-kit';
import { WorkerLogicConfig } from './config/worker-logic.config';
import { createConfiguredLogicTools } from './logic-tools.providers';

export const LOGIC_WORKER_TYPE = 'logic';

@Module({})
class WorkerLogicApp {}

/** The logic worker (jsonata, csv, templates, math) on the process's bus, configured from `env`. */
export function workerLogicService(bus: MessageBus, topics: TopicRegistry, env: NodeJS.ProcessEnv = process.env): BusServiceOptions {
  const settings = workerSettings(LOGIC_WORKER_TYPE, loadConfig(WorkerConfig, env));
  const tools = createConfiguredLogicTools(loadConfig(WorkerLogicConfig, env));
  return {
    module: { module: WorkerLogicApp, imports: [BusModule.forRoot(bus, topics), WorkerModule.forRoot({ settings, tools })] },
    bus,
    subscriptions: workerSubscriptions(settings, topics),
  };
}
