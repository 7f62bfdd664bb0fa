import { EmbeddingConfig, MemoryConfig } from '@agentos/memory';
import { LogConfig, OpsConfig, TracingConfig, TransportConfig } from '@agentos/runtime';
import { LlmConfig, SupervisorConfig, SupervisorMemoryConfig } from '@agentos/supervisor';
import { WorkerConfig } from '@agentos/worker-kit';
import { IO_WORKER_TYPE, WorkerIoConfig } from '@agentos/worker-io';
import { LOGIC_WORKER_TYPE, WorkerLogicConfig } from '@agentos/worker-logic';
import { ConfigClass } from './config-keys';

/** The AgentOS services compose runs, by their compose service name (also their folder under services/). */
export const AGENTOS_SERVICES = ['supervisor', 'worker-io', 'worker-logic'] as const;
export type AgentOsService = (typeof AGENTOS_SERVICES)[number];

/** What every standalone service process validates before anything else (runStandaloneService). */
const PROCESS_CONFIGS: readonly ConfigClass[] = [TransportConfig, LogConfig, OpsConfig, TracingConfig];

/**
 * Every configuration class each service validates at start-up: the process's own (above) and
 * what its `*.app.ts` loads. A test compares this with the `loadConfig(...)` calls reachable from
 * the service's main.ts, so it cannot silently fall behind.
 */
export const SERVICE_CONFIGS: Readonly<Record<AgentOsService, readonly ConfigClass[]>> = {
  supervisor: [...PROCESS_CONFIGS, SupervisorConfig, LlmConfig, SupervisorMemoryConfig, MemoryConfig, EmbeddingConfig],
  'worker-io': [...PROCESS_CONFIGS, WorkerConfig, WorkerIoConfig],
  'worker-logic': [...PROCESS_CONFIGS, WorkerConfig, WorkerLogicConfig],
};

/** The worker type each worker service serves (the suffix of the task topic it consumes). */
export const WORKER_TYPES: Readonly<Partial<Record<AgentOsService, string>>> = {
  'worker-io': IO_WORKER_TYPE,
  'worker-logic': LOGIC_WORKER_TYPE,
};

/**
 * Variables a service's environment may hold although no AgentOS configuration class reads them:
 * Node's own and OpenTelemetry's standard ones (read by the OpenTelemetry SDK itself).
 */
export function isStandardVariable(name: string): boolean {
  return name === 'NODE_ENV' || name.startsWith('OTEL_');
}
