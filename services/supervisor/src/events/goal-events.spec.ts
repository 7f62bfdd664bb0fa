import { newEnvelope, TopicRegistry } from '@agentos/contracts';
import { AgentOsMetrics } from '@agentos/runtime';
import { Registry } from 'prom-client';
import { GoalEvents } from './goal-events';

describe('GoalEvents counting what it announces', () => {
  const goal = newEnvelope('goal', { goalId: 'g-1' });

  async function counts(metrics: AgentOsMetrics, name: string): Promise<Record<string, number>> {
    const metric = (await metrics.registry.getMetricsAsJSON()).find((candidate) => candidate.name === name)!;
    return Object.fromEntries(metric.values.map((value) => [String(Object.values(value.labels)[0]), value.value]));
  }

  it('counts every final status and every memory decision, and nothing else', async () => {
    const metrics = new AgentOsMetrics({ registry: new Registry() });
    const events = new GoalEvents(new TopicRegistry({ workerTypes: ['io'] }), 'all', metrics.supervisor);
    events.goal(goal, 'goal.accepted');
    events.goal(goal, 'goal.planned');
    events.goal(goal, 'memory.decision', { decision: 'plan_reuse' });
    events.goal(goal, 'memory.decision', { decision: 'assignment' });
    events.goal(goal, 'memory.decision', { decision: 'assignment' });
    events.goal(goal, 'goal.succeeded');
    events.goal(goal, 'goal.failed');
    events.goal(goal, 'goal.cancelled');
    events.goal(goal, 'goal.rejected');
    events.task(goal, 'task.succeeded', 't', 1);
    expect(await counts(metrics, 'agentos_goals_total')).toEqual({ succeeded: 1, failed: 1, cancelled: 1, rejected: 1 });
    expect(await counts(metrics, 'agentos_memory_decisions_total')).toEqual({ plan_reuse: 1, assignment: 2 });
  });

  it('builds the same events without metrics', () => {
    const message = new GoalEvents(new TopicRegistry({ workerTypes: ['io'] }), 'all').goal(goal, 'goal.succeeded', { outputs: {} });
    expect(message.message).toMatchObject({ kind: 'event', type: 'goal.succeeded', goalId: 'g-1', data: { outputs: {} } });
  });
});
