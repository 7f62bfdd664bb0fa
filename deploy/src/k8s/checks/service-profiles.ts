import { TopicRegistry } from '@agentos/contracts';
import { EmbeddingConfig, MemoryConfig } from '@agentos/memory';
import { loadConfig, LogConfig, OpsConfig, SubscriptionOptions, TracingConfig, TransportConfig } from '@agentos/runtime';
import { LlmConfig, SupervisorConfig, SupervisorMemoryConfig, supervisorSubscriptions } from '@agentos/supervisor';
import { WorkerConfig, workerSettings, workerSubscriptions } from '@agentos/worker-kit';
import { IO_WORKER_TYPE, WorkerIoConfig } from '@agentos/worker-io';
import { LOGIC_WORKER_TYPE, WorkerLogicConfig } from '@agentos/worker-logic';

export type ServiceName = 'supervisor' | 'worker-io' | 'worker-logic';

/** What the manifests must agree with about one service, read from the service's own code. */
export interface ServiceProfile {
  /** The configuration classes the service validates its environment with at start. */
  readonly configClasses: ReadonlyArray<new () => object>;
  /** The subscription whose consumer-group lag its ScaledObject scales on, as the service subscribes. */
  scalingSubscription(environment: Record<string, string>, registry: TopicRegistry): SubscriptionOptions;
  /** TCP ports it reaches besides DNS and Kafka. */
  readonly otherEgressPorts: readonly number[];
  /** Variables naming folders it writes to: each must be a writable volume (the root filesystem is read-only). */
  readonly writableFolderVariables: readonly string[];
}

/** What every service process validates: its bus, ops HTTP server and logs. */
const PROCESS_CONFIG = [TransportConfig, OpsConfig, LogConfig, TracingConfig];

function workerPool(workerType: string): ServiceProfile['scalingSubscription'] {
  return (environment, registry) => workerSubscriptions(workerSettings(workerType, loadConfig(WorkerConfig, environment)), registry)[0]!;
}

/** Every service that has a Deployment, by Deployment name (the fixed service names). */
export const SERVICE_PROFILES: Readonly<Record<ServiceName, ServiceProfile>> = {
  supervisor: {
    configClasses: [...PROCESS_CONFIG, SupervisorConfig, LlmConfig, SupervisorMemoryConfig, MemoryConfig, EmbeddingConfig],
    scalingSubscription: (environment, registry) => {
      const subscriptions = supervisorSubscriptions(registry, loadConfig(SupervisorConfig, environment));
      return subscriptions.find((subscription) => subscription.topics.includes(registry.goals()))!;
    },
    otherEgressPorts: [443, 5432],
    writableFolderVariables: ['MEMORY_DATA_DIR'],
  },
  'worker-io': {
    configClasses: [...PROCESS_CONFIG, WorkerConfig, WorkerIoConfig],
    scalingSubscription: workerPool(IO_WORKER_TYPE),
    otherEgressPorts: [80, 443],
    writableFolderVariables: ['IO_FS_ROOT'],
  },
  'worker-logic': {
    configClasses: [...PROCESS_CONFIG, WorkerConfig, WorkerLogicConfig],
    scalingSubscription: workerPool(LOGIC_WORKER_TYPE),
    otherEgressPorts: [],
    writableFolderVariables: [],
  },
};

export function serviceProfile(name: string): ServiceProfile | undefined {
  return Object.prototype.hasOwnProperty.call(SERVICE_PROFILES, name) ? SERVICE_PROFILES[name as ServiceName] : undefined;
}
