import { INestMicroservice } from '@nestjs/common';
import { GoalEventMessage, GoalMessage, newEnvelope, TaskGraph, TERMINAL_GOAL_EVENTS, TopicRegistry } from '@agentos/contracts';
import { BusServiceOptions, InProcessBus, MessageBus, startBusService, Subscription } from '@agentos/runtime';
import { simWorkerService } from './sim-worker-service';
import { SimLedger, SimWorld } from './sim-world';

/** Builds the supervisor service (the caller's: test-kit does not depend on services). */
export type SupervisorFactory = (bus: MessageBus, topics: TopicRegistry, env: NodeJS.ProcessEnv) => BusServiceOptions;

export interface SimGoalRun {
  readonly goalId: string;
  readonly terminal: GoalEventMessage;
  readonly events: readonly GoalEventMessage[];
}

interface Following {
  readonly events: GoalEventMessage[];
  settle(terminal: GoalEventMessage): void;
}

/**
 * The real supervisor and one worker per simulated worker type, each its own NestJS service on
 * one in-process bus, as the embedded runtime runs them: what the learning benchmark and the
 * memory tests drive goal by goal.
 */
export class SimRuntime {
  readonly ledger = new SimLedger();
  private readonly following = new Map<string, Following>();
  private readonly services: INestMicroservice[] = [];
  private events: Subscription | undefined;
  private goals = 0;

  private constructor(
    readonly bus: InProcessBus,
    readonly topics: TopicRegistry,
  ) {}

  static async start(world: SimWorld, supervisor: SupervisorFactory, env: NodeJS.ProcessEnv): Promise<SimRuntime> {
    const topics = new TopicRegistry({ workerTypes: Object.keys(world.workerTypes) });
    const bus = new InProcessBus();
    await bus.connect();
    const runtime = new SimRuntime(bus, topics);
    try {
      runtime.events = await bus.subscribe({ topics: [topics.events()], groupId: topics.group('sim.follow'), maxInFlight: 64 }, async ({ message }) => {
        if (message.kind !== 'event') return;
        const following = runtime.following.get(message.goalId);
        if (!following) return;
        following.events.push(message);
        if (TERMINAL_GOAL_EVENTS.includes(message.type)) following.settle(message);
      });
      const quiet = ['error', 'fatal'] as ('error' | 'fatal')[];
      for (const workerType of Object.keys(world.workerTypes)) {
        runtime.services.push(await startBusService({ ...simWorkerService(bus, topics, world, runtime.ledger, workerType), logLevels: quiet }));
      }
      runtime.services.push(await startBusService({ ...supervisor(bus, topics, env), logLevels: quiet }));
    } catch (error) {
      await runtime.close();
      throw error;
    }
    return runtime;
  }

  /** Submits a goal (free text, or with a plan) and resolves once it is terminal; rejects after `timeoutMs`. */
  async run(goalText: string, plan?: TaskGraph, timeoutMs = 30_000): Promise<SimGoalRun> {
    const goalId = `sim-goal-${++this.goals}`;
    const goal: GoalMessage = { ...newEnvelope('goal', { goalId }), goal: goalText, ...(plan ? { plan } : {}) };
    const events: GoalEventMessage[] = [];
    let timer: NodeJS.Timeout | undefined;
    const terminal = new Promise<GoalEventMessage>((resolve, reject) => {
      this.following.set(goalId, { events, settle: resolve });
      timer = setTimeout(() => reject(new Error(`goal ${goalId} (${goalText}) not terminal after ${timeoutMs} ms; events: ${events.map((event) => event.type).join(', ')}`)), timeoutMs);
    });
    try {
      await this.bus.publish([{ topic: this.topics.goals(), key: goalId, message: goal }]);
      return { goalId, terminal: await terminal, events };
    } finally {
      clearTimeout(timer);
      this.following.delete(goalId);
    }
  }

  async close(): Promise<void> {
    await this.events?.close();
    // The supervisor first: it writes its memory before the workers go.
    for (const service of this.services.reverse()) await service.close();
    await this.bus.close();
  }
}
