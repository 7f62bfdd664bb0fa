import { DynamicModule, Inject, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { TopicRegistry } from '@agentos/contracts';
import { AGENTOS_METRICS, AgentOsMetrics, MESSAGE_BUS, MessageBus, metricsProvider, SubscriptionOptions, TOPIC_REGISTRY } from '@agentos/runtime';
import { CapabilityAnnouncer } from '../capabilities/capability-announcer';
import { TaskExecutor } from '../execution/task-executor';
import { FaultInjectionTool } from '../fault/fault-injection.tool';
import { NoopTool } from '../noop/noop.tool';
import { Tool } from '../tools/tool';
import { ToolRegistry } from '../tools/tool-registry';
import { WorkerSettings } from './worker-settings';
import { WorkerController } from './worker.controller';
import { TASK_EXECUTOR, WORKER_SETTINGS } from './worker.tokens';

export interface WorkerModuleOptions {
  readonly settings: WorkerSettings;
  /** The worker type's own tools; `noop` is added to every worker, `fault.inject` where enabled. */
  readonly tools: readonly Tool[];
  /** Where its metrics go; the process's (processMetrics) by default. */
  readonly metrics?: AgentOsMetrics;
}

/** A worker pool member: a tool registry, an executor bounded by the pool's concurrency, and its handlers. */
@Module({})
export class WorkerModule implements OnModuleInit, OnModuleDestroy {
  private untrack: (() => void) | undefined;

  constructor(
    @Inject(TASK_EXECUTOR) private readonly executor: TaskExecutor,
    @Inject(AGENTOS_METRICS) private readonly metrics: AgentOsMetrics,
  ) {}

  onModuleInit(): void {
    const executor = this.executor;
    this.untrack = this.metrics.worker.trackExecutor({
      workerType: executor.workerType,
      inFlight: () => executor.inFlight.size,
      concurrencyLimit: () => executor.slots.limit,
    });
  }

  onModuleDestroy(): void {
    this.untrack?.();
  }

  static forRoot(options: WorkerModuleOptions): DynamicModule {
    const tools = new ToolRegistry([
      new NoopTool(),
      ...options.tools,
      ...(options.settings.faultInjection ? [new FaultInjectionTool()] : []),
    ]);
    return {
      module: WorkerModule,
      controllers: [WorkerController],
      providers: [
        { provide: WORKER_SETTINGS, useValue: options.settings },
        metricsProvider(options.metrics),
        {
          provide: TASK_EXECUTOR,
          inject: [AGENTOS_METRICS],
          useFactory: (metrics: AgentOsMetrics) => new TaskExecutor(tools, options.settings, metrics.worker),
        },
        {
          provide: CapabilityAnnouncer,
          inject: [MESSAGE_BUS, TOPIC_REGISTRY, TASK_EXECUTOR],
          useFactory: (bus: MessageBus, topics: TopicRegistry, executor: TaskExecutor) =>
            new CapabilityAnnouncer(bus, topics, { settings: options.settings, tools: tools.list(), concurrency: () => executor.slots.limit }),
        },
      ],
      exports: [TASK_EXECUTOR],
    };
  }
}

/**
 * What a worker instance consumes: its pool's task topic as a member of the pool's group
 * (so instances share the work), and the control topic in a group of its own (broadcast).
 * Up to twice the concurrency is taken off the bus, so a slot never waits for a fetch.
 */
export function workerSubscriptions(settings: WorkerSettings, topics: TopicRegistry): SubscriptionOptions[] {
  return [
    {
      topics: [topics.tasks(settings.workerType)],
      groupId: topics.group(`worker.${settings.workerType}`),
      maxInFlight: settings.concurrency * 2,
    },
    {
      topics: [topics.control()],
      groupId: topics.group(`worker.${settings.workerType}.${settings.workerId}`),
      maxInFlight: 16,
      startFrom: 'latest',
    },
  ];
}
