import { randomUUID } from 'node:crypto';
import { DynamicModule, Inject, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { LIMITS, TopicRegistry } from '@agentos/contracts';
import { inspectMemory } from '@agentos/memory';
import {
  AGENTOS_METRICS,
  AgentOsMetrics,
  ConfigError,
  MESSAGE_BUS,
  MessageBus,
  metricsProvider,
  OPS_REPORTS,
  OpsReports,
  opsReportsProvider,
  PartitionOwnershipListener,
  READINESS_CHECKS,
  ReadinessChecks,
  readinessProvider,
  SubscriptionOptions,
  SupervisorMetrics,
  TOPIC_REGISTRY,
} from '@agentos/runtime';
import { DeferredOwnership } from '../durability/deferred-ownership';
import { PartitionOwnership } from '../durability/partition-ownership';
import { RunJournal } from '../durability/run-journal';
import { RunsController } from '../durability/runs.controller';
import { RunView } from '../durability/run-view';
import { CapabilitiesController } from '../catalog/capabilities.controller';
import { LiveToolCatalog } from '../catalog/live-tool-catalog';
import { ToolCatalog } from '../catalog/tool-catalog';
import { SupervisorConfig } from '../config/supervisor.config';
import { DeadlineTracker } from '../deadlines/deadline-tracker';
import { GoalEvents } from '../events/goal-events';
import { GoalIntake } from '../goals/goal-intake';
import { GoalsController } from '../goals/goals.controller';
import { PlanValidator } from '../planning/plan-validator';
import { LlmPlanner } from '../planning/llm-planner';
import { ToolOffer } from '../planning/planning-prompt';
import { createLlmClient } from '../llm/create-llm-client';
import { LlmConfig } from '../llm/llm.config';
import { LlmUsageLedger } from '../llm/llm-usage-ledger';
import { GoalSummarizer } from '../summary/goal-summarizer';
import { AdaptiveConcurrency } from '../policy/adaptive-concurrency';
import { FailurePolicy } from '../policy/failure-policy';
import { policyTableFrom } from '../policy/policy-table';
import { ResultsController } from '../results/results.controller';
import { RunDriver } from '../runs/run-driver';
import { RunRegistry } from '../runs/run-registry';
import { PoolLimits } from '../scheduling/pool-limits';
import { Scheduler } from '../scheduling/scheduler';
import { CONTROL_HANDLER, GOAL_INTAKE, RUN_DRIVER, RUN_REGISTRY, RUN_VIEW, SUPERVISOR_CONFIG, SUPERVISOR_MEMORY, TOOL_CATALOG } from './supervisor.tokens';
import { openSupervisorMemory, SupervisorMemoryOptions } from '../memory/open-supervisor-memory';
import { SupervisorMemory } from '../memory/supervisor-memory';
import { ToolOffering } from '../memory/worker-assigner';
import { ControlController } from '../control/control.controller';
import { ControlHandler } from '../control/control-handler';

export interface SupervisorModuleOptions {
  readonly config: SupervisorConfig;
  /** The LLM endpoint for planning free-text goals; without a model, goals need an explicit plan. */
  readonly llm?: LlmConfig;
  /** Which worker types and tools plans may use; by default what live workers announce (LiveToolCatalog). */
  readonly catalog?: ToolCatalog;
  /** Durable run state: the listener the goals subscription was given (see supervisorSubscriptions). */
  readonly ownership?: DeferredOwnership;
  /** Semantic memory; absent or `SUPERVISOR_MEMORY=off`: nothing is recorded or learned. */
  readonly memory?: SupervisorMemoryOptions;
  /** Where its metrics go; the process's (processMetrics) by default. */
  readonly metrics?: AgentOsMetrics;
  /** Where it registers its readiness checks (the memory store); the process's (processReadiness) by default. */
  readonly readiness?: ReadinessChecks;
  /** Where it registers its ops reports (`memory`); the process's (processReports) by default. */
  readonly reports?: OpsReports;
}

/** Worker types offering a tool now, by name. */
function toolOffering(catalog: ToolCatalog): ToolOffering {
  return (tool) => catalog.workerTypes().filter((workerType) => catalog.tools(workerType)?.includes(tool) === true);
}

const RUN_PARTS = Symbol('RUN_PARTS');

/** Plan shapes GET /reports/memory lists (the most used first). */
const MEMORY_REPORT_PLANS = 50;

/** Rounds in which an invalid LLM plan goes back to the model with its problems. */
const PLAN_REPAIR_ROUNDS = 2;

interface RunParts {
  readonly driver: RunDriver;
  readonly intake: GoalIntake;
  readonly view?: RunView;
  /** For the pool gauges. */
  readonly pools: PoolLimits;
}

function buildRunParts(
  bus: MessageBus,
  topics: TopicRegistry,
  config: SupervisorConfig,
  runs: RunRegistry,
  catalog: ToolCatalog,
  live: LiveToolCatalog,
  llm: LlmConfig | undefined,
  ownership: DeferredOwnership | undefined,
  supervisorMemory: SupervisorMemory | undefined,
  metrics: SupervisorMetrics,
): RunParts {
  const memory = supervisorMemory ? { memory: supervisorMemory, offering: toolOffering(catalog) } : undefined;
  const journal = ownership ? new RunJournal(topics, config.SUPERVISOR_INSTANCE_ID) : undefined;
  const events = new GoalEvents(topics, config.SUPERVISOR_TASK_EVENTS, metrics);
  const pools = new PoolLimits(config.SUPERVISOR_POOL_CONCURRENCY);
  const table = policyTableFrom(config.SUPERVISOR_FAILURE_POLICY);
  if (typeof table === 'string') throw new ConfigError(table);
  const policy = new FailurePolicy({ retryBaseMs: config.SUPERVISOR_RETRY_BASE_MS, retryMaxMs: config.SUPERVISOR_RETRY_MAX_MS, table });
  const concurrency = new AdaptiveConcurrency(pools, config.SUPERVISOR_POOL_CONCURRENCY);
  const driver = new RunDriver(
    bus,
    runs,
    pools,
    policy,
    events,
    { defaultMaxAttempts: config.SUPERVISOR_MAX_ATTEMPTS, maxReplans: config.SUPERVISOR_MAX_REPLANS },
    concurrency,
    metrics,
    journal,
  );
  const deadlines = new DeadlineTracker(driver.onTaskExpired, driver.onGoalExpired);
  const scheduling = { defaultTimeoutMs: config.SUPERVISOR_TASK_TIMEOUT_MS, deadlineGraceMs: config.SUPERVISOR_DEADLINE_GRACE_MS };
  const scheduler = new Scheduler(topics, pools, deadlines, events, scheduling, metrics);
  // Goals wait for worker types not yet announced only when plans are checked against live announcements.
  const capabilityWait = catalog === live ? { availability: live, timeoutMs: config.SUPERVISOR_CAPABILITY_WAIT_MS } : undefined;
  const validator = new PlanValidator(catalog);
  const { planner, summarizer } = llm ? llmParts(llm, config, validator, catalog, live, metrics) : {};
  driver.attach(scheduler, deadlines, { ...(planner ? { replanner: planner } : {}), ...(summarizer ? { summarizer } : {}) }, memory);
  if (!ownership || !journal) {
    return { driver, pools, intake: new GoalIntake(bus, runs, validator, driver, events, config.SUPERVISOR_GOAL_CONCURRENCY, capabilityWait, planner, undefined, memory) };
  }
  const view = new RunView(config.SUPERVISOR_INSTANCE_ID);
  const owner = new PartitionOwnership(bus, journal, view, runs, driver, topics);
  ownership.bind(owner);
  const intake = new GoalIntake(bus, runs, validator, driver, events, config.SUPERVISOR_GOAL_CONCURRENCY, capabilityWait, planner, owner, memory);
  return { driver, intake, view, pools };
}

/**
 * What the LLM does for the supervisor when a model is configured: the planner (offering what live
 * workers announce, with their tools' input schemas, or the configured catalog's tools when one is
 * given) and, when asked for, the result summary.
 */
function llmParts(
  config: LlmConfig,
  supervisor: SupervisorConfig,
  validator: PlanValidator,
  catalog: ToolCatalog,
  live: LiveToolCatalog,
  metrics: SupervisorMetrics,
): { planner?: LlmPlanner; summarizer?: GoalSummarizer } {
  if (config.LLM_MODEL === undefined) return {};
  const ledger = new LlmUsageLedger((usage) => metrics.llmUsage(usage.promptTokens, usage.completionTokens));
  const client = createLlmClient(config, { ledger });
  const offers = (): ToolOffer[] =>
    catalog === live
      ? live.livePoolViews().flatMap((pool) =>
          pool.tools.map((tool) => ({ workerType: pool.workerType, tool: tool.name, description: tool.description, inputSchema: tool.inputSchema })),
        )
      : catalog.workerTypes().flatMap((workerType) => (catalog.tools(workerType) ?? []).map((tool) => ({ workerType, tool })));
  return {
    planner: new LlmPlanner(client, validator, { maxRepairs: PLAN_REPAIR_ROUNDS, maxTasks: LIMITS.maxTasksPerGraph, offers, ledger }),
    ...(supervisor.SUPERVISOR_SUMMARIZE ? { summarizer: new GoalSummarizer(client) } : {}),
  };
}

/** The supervisor: goal intake, planning checks, scheduling, deadlines and the failure policy. */
@Module({})
export class SupervisorModule implements OnModuleInit, OnModuleDestroy {
  private checkpoints: NodeJS.Timeout | undefined;
  /** Undoes what onModuleInit registered with the process's metrics and readiness checks. */
  private readonly unregister: Array<() => void> = [];

  constructor(
    @Inject(RUN_DRIVER) private readonly driver: RunDriver,
    @Inject(SUPERVISOR_CONFIG) private readonly config: SupervisorConfig,
    @Inject(SUPERVISOR_MEMORY) private readonly memory: SupervisorMemory | undefined,
    @Inject(RUN_PARTS) private readonly parts: RunParts,
    @Inject(AGENTOS_METRICS) private readonly metrics: AgentOsMetrics,
    @Inject(READINESS_CHECKS) private readonly readiness: ReadinessChecks,
    @Inject(OPS_REPORTS) private readonly reports: OpsReports,
  ) {}

  onModuleInit(): void {
    const maxAgeMs = this.config.SUPERVISOR_CHECKPOINT_MS;
    this.checkpoints = setInterval(() => void this.driver.checkpoint(maxAgeMs).catch(() => undefined), Math.max(250, maxAgeMs / 4));
    this.checkpoints.unref();
    this.unregister.push(this.metrics.supervisor.trackPools(this.parts.pools));
    const store = this.memory?.store;
    if (store) {
      this.unregister.push(
        this.readiness.register('memory', async () => {
          await store.ping();
          return { ready: true, details: { store: store.kind } };
        }),
        // GET /reports/memory on the ops server: what memory has learned, as `npm run memory:inspect` shows it.
        this.reports.register('memory', () => inspectMemory(store, { planLimit: MEMORY_REPORT_PLANS })),
      );
    }
  }

  static forRoot(options: SupervisorModuleOptions): DynamicModule {
    return {
      module: SupervisorModule,
      controllers: [GoalsController, ResultsController, ControlController, CapabilitiesController, ...(options.ownership ? [RunsController] : [])],
      providers: [
        { provide: SUPERVISOR_CONFIG, useValue: options.config },
        metricsProvider(options.metrics),
        readinessProvider(options.readiness),
        opsReportsProvider(options.reports),
        { provide: LiveToolCatalog, useFactory: () => new LiveToolCatalog() },
        { provide: TOOL_CATALOG, inject: [LiveToolCatalog], useFactory: (live: LiveToolCatalog) => options.catalog ?? live },
        { provide: RUN_REGISTRY, useFactory: () => new RunRegistry() },
        { provide: SUPERVISOR_MEMORY, useFactory: () => (options.memory ? openSupervisorMemory(options.memory) : undefined) },
        {
          provide: RUN_PARTS,
          inject: [MESSAGE_BUS, TOPIC_REGISTRY, SUPERVISOR_CONFIG, RUN_REGISTRY, TOOL_CATALOG, LiveToolCatalog, SUPERVISOR_MEMORY, AGENTOS_METRICS],
          useFactory: (
            bus: MessageBus,
            topics: TopicRegistry,
            config: SupervisorConfig,
            runs: RunRegistry,
            catalog: ToolCatalog,
            live: LiveToolCatalog,
            memory: SupervisorMemory | undefined,
            metrics: AgentOsMetrics,
          ) => buildRunParts(bus, topics, config, runs, catalog, live, options.llm, options.ownership, memory, metrics.supervisor),
        },
        { provide: RUN_VIEW, inject: [RUN_PARTS], useFactory: (parts: RunParts) => parts.view },
        { provide: RUN_DRIVER, inject: [RUN_PARTS], useFactory: (parts: RunParts) => parts.driver },
        { provide: GOAL_INTAKE, inject: [RUN_PARTS], useFactory: (parts: RunParts) => parts.intake },
        {
          provide: CONTROL_HANDLER,
          inject: [RUN_REGISTRY, RUN_DRIVER],
          useFactory: (runs: RunRegistry, driver: RunDriver) => new ControlHandler(runs, driver),
        },
      ],
      exports: [RUN_DRIVER, RUN_REGISTRY, SUPERVISOR_MEMORY],
    };
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.checkpoints);
    for (const undo of this.unregister.splice(0)) undo();
    this.driver.cancelAll();
    // Goals that finished before the shutdown are written before the store closes.
    await this.memory?.close();
  }
}

/**
 * The supervisor consumes goals and results in one group (co-partitioned, so one instance owns
 * a goal), and every control signal and capability announcement in groups of its own instance
 * (each acts on its own goals, each needs the whole catalog).
 */
export function supervisorSubscriptions(topics: TopicRegistry, config: SupervisorConfig, ownership?: PartitionOwnershipListener): SubscriptionOptions[] {
  // Read whole by every instance, from the start: restoring a partition needs all of it. Many records
  // may be in flight, yet each partition's are applied in order: both buses hand them out in order
  // and the handler applies a record before its first await, and never throws (no redelivery).
  const journal: SubscriptionOptions[] = ownership
    ? [{ topics: [topics.runs()], groupId: topics.group(`supervisor.runs.${config.SUPERVISOR_INSTANCE_ID}.${randomUUID()}`), maxInFlight: 1_024, startFrom: 'earliest' }]
    : [];
  return [
    ...journal,
    {
      topics: [topics.goals(), topics.results()],
      groupId: topics.group('supervisor'),
      maxInFlight: config.SUPERVISOR_MAX_IN_FLIGHT,
      ...(ownership ? { ownership } : {}),
    },
    {
      topics: [topics.control()],
      groupId: topics.group(`supervisor.control.${randomUUID()}`),
      maxInFlight: 16,
      startFrom: 'latest',
    },
    {
      // Compacted and keyed by worker id: from the earliest offset, a new instance reads every
      // worker's latest announcement at once instead of waiting a whole announcement interval.
      topics: [topics.capabilities()],
      groupId: topics.group(`supervisor.capabilities.${randomUUID()}`),
      maxInFlight: 64,
      startFrom: 'earliest',
    },
  ];
}
