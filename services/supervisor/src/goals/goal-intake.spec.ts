import { ANY_GOAL, GoalEventMessage, GoalMessage, isoTime, newEnvelope, TaskGraph, TopicRegistry } from '@agentos/contracts';
import { MessageBus, OutboundMessage } from '@agentos/runtime';
import { LiveToolCatalog } from '../catalog/live-tool-catalog';
import { GoalEvents } from '../events/goal-events';
import { PlanValidator } from '../planning/plan-validator';
import { Run } from '../runs/run';
import { RunDriver } from '../runs/run-driver';
import { RunRegistry } from '../runs/run-registry';
import { GoalIntake } from './goal-intake';

const topics = new TopicRegistry({ workerTypes: ['io', 'logic'] });

function goal(goalId: string, plan: TaskGraph): GoalMessage {
  return { ...newEnvelope('goal', { goalId }), goal: 'test', plan };
}

function announce(catalog: LiveToolCatalog, workerType: string, tools: string[]): void {
  catalog.record({
    ...newEnvelope('capabilities', { goalId: ANY_GOAL, correlationId: `${workerType}-1` }),
    createdAt: isoTime(),
    workerType,
    workerId: `${workerType}-1`,
    concurrency: 4,
    ttlMs: 30_000,
    tools: tools.map((name) => ({ name, description: name, sideEffects: false, inputSchema: {}, outputSchema: {} })),
  });
}

/** A GoalIntake on a live catalog, recording what it publishes and which runs it starts. */
function intakeWith(waitMs: number) {
  const catalog = new LiveToolCatalog();
  const published: OutboundMessage[] = [];
  const started: Run[] = [];
  const runs = new RunRegistry();
  const bus = { publish: async (messages: readonly OutboundMessage[]) => void published.push(...messages) } as unknown as MessageBus;
  const driver = {
    start: async (run: Run, out: OutboundMessage[]) => {
      runs.add(run);
      started.push(run);
      published.push(...out);
    },
  } as unknown as RunDriver;
  const intake = new GoalIntake(bus, runs, new PlanValidator(catalog), driver, new GoalEvents(topics, 'all'), 16, { availability: catalog, timeoutMs: waitMs });
  const events = () => published.map((outbound) => outbound.message as GoalEventMessage);
  return { catalog, intake, started, events };
}

const ioAndLogic: TaskGraph = {
  tasks: [
    { id: 'read', workerType: 'io', tool: 'fs.read' },
    { id: 'sum', workerType: 'logic', tool: 'math.evaluate', dependsOn: ['read'] },
  ],
};

describe('GoalIntake waiting for capability announcements', () => {
  it('starts a goal that arrived before its workers announced, once they do', async () => {
    const { catalog, intake, started, events } = intakeWith(10_000);
    announce(catalog, 'io', ['noop', 'fs.read']);
    const accepted = intake.accept(goal('early', ioAndLogic));
    await Promise.resolve();
    expect(started).toHaveLength(0);

    announce(catalog, 'logic', ['noop', 'math.evaluate']);
    await accepted;
    expect(started.map((run) => run.goalId)).toEqual(['early']);
    expect(events().map((event) => event.type)).toEqual(['goal.accepted', 'goal.planned']);
    catalog.onModuleDestroy();
  });

  it('ignores a redelivery of a goal that is still waiting', async () => {
    const { catalog, intake, started } = intakeWith(10_000);
    const first = intake.accept(goal('twice', ioAndLogic));
    await intake.accept(goal('twice', ioAndLogic));
    announce(catalog, 'io', ['fs.read']);
    announce(catalog, 'logic', ['math.evaluate']);
    await first;
    expect(started).toHaveLength(1);
  });

  it('refuses, after the wait, a plan needing a worker type nobody offers, naming the live ones', async () => {
    const { catalog, intake, started, events } = intakeWith(30);
    announce(catalog, 'io', ['noop', 'fs.read']);
    announce(catalog, 'logic', ['noop', 'math.evaluate']);
    const before = Date.now();
    await intake.accept(goal('gpu-goal', { tasks: [{ id: 'train', workerType: 'gpu', tool: 'train' }] }));
    expect(Date.now() - before).toBeGreaterThanOrEqual(25);
    expect(started).toHaveLength(0);
    const rejected = events().find((event) => event.type === 'goal.rejected')!;
    expect(rejected.data).toMatchObject({
      errors: [{ code: 'unknown_worker_type', taskId: 'train', message: expect.stringContaining('"gpu", which nobody offers (alive: io, logic)') }],
    });
  });

  it('starts one run for a goal delivered twice at once', async () => {
    const { catalog, intake, started } = intakeWith(10_000);
    announce(catalog, 'io', ['fs.read']);
    announce(catalog, 'logic', ['math.evaluate']);
    await Promise.all([intake.accept(goal('dup', ioAndLogic)), intake.accept(goal('dup', ioAndLogic))]);
    expect(started).toHaveLength(1);
  });

  it('does not wait when every worker type is already offered', async () => {
    const { catalog, intake, started } = intakeWith(600_000);
    announce(catalog, 'io', ['fs.read']);
    announce(catalog, 'logic', ['math.evaluate']);
    await intake.accept(goal('ready', ioAndLogic));
    expect(started).toHaveLength(1);
  });
});
