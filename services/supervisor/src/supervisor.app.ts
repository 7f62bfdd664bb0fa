import { Module } from '@nestjs/common';
import { TopicRegistry } from '@agentos/contracts';
import { BusModule, BusServiceOptions, loadConfig, MessageBus } from '@agentos/runtime';
import { SupervisorConfig } from './config/supervisor.config';
import { DeferredOwnership } from './durability/deferred-ownership';
import { EmbeddingConfig, MemoryConfig } from '@agentos/memory';
import { LlmConfig } from './llm/llm.config';
import { SupervisorMemoryConfig } from './memory/supervisor-memory.config';
import { supervisorSubscriptions, SupervisorModule } from './nest/supervisor.module';

@Module({})
class SupervisorApp {}

/** The supervisor service on the process's bus, configured from `env`: what main.ts and the embedded runtime start. */
export function supervisorService(bus: MessageBus, topics: TopicRegistry, env: NodeJS.ProcessEnv = process.env): BusServiceOptions {
  const config = loadConfig(SupervisorConfig, env);
  const llm = loadConfig(LlmConfig, env);
  const durable = config.SUPERVISOR_RUN_JOURNAL === 'on' || (config.SUPERVISOR_RUN_JOURNAL === 'auto' && bus.transport === 'kafka');
  const ownership = durable ? new DeferredOwnership() : undefined;
  const memory = { config: loadConfig(SupervisorMemoryConfig, env), store: loadConfig(MemoryConfig, env), embedding: loadConfig(EmbeddingConfig, env) };
  return {
    module: {
      module: SupervisorApp,
      imports: [BusModule.forRoot(bus, topics), SupervisorModule.forRoot({ config, llm, memory, ...(ownership ? { ownership } : {}) })],
    },
    bus,
    subscriptions: supervisorSubscriptions(topics, config, ownership),
  };
}
