import { newEnvelope, TaskMessage } from '@agentos/contracts';
import { AgentOsMetrics, UNKNOWN_TOOL_LABEL } from '@agentos/runtime';
import { Registry } from 'prom-client';
import { FaultInjectionTool } from '../fault/fault-injection.tool';
import { NoopTool } from '../noop/noop.tool';
import { ToolRegistry } from '../tools/tool-registry';
import { TaskExecutor } from './task-executor';

function task(tool: string, input: TaskMessage['input'] = {}): TaskMessage {
  return {
    ...newEnvelope('task', { goalId: 'g-1' }),
    taskId: `t-${Math.random().toString(36).slice(2)}`,
    attempt: 1,
    workerType: 'io',
    tool,
    input,
    timeoutMs: 5_000,
    idempotencyKey: 'g-1:t',
  };
}

async function series(metrics: AgentOsMetrics, name: string): Promise<Array<[Record<string, string | number>, number]>> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((candidate) => candidate.name === name)!;
  return metric.values.map((value) => [{ ...value.labels } as Record<string, string | number>, value.value]);
}

describe('TaskExecutor recording its attempts', () => {
  let metrics: AgentOsMetrics;
  let executor: TaskExecutor;
  beforeEach(() => {
    metrics = new AgentOsMetrics({ registry: new Registry() });
    executor = new TaskExecutor(new ToolRegistry([new NoopTool(), new FaultInjectionTool()]), { workerType: 'io', workerId: 'io-1', concurrency: 2 }, metrics.worker);
  });

  it('counts each reported attempt by tool and outcome, with the time the tool ran', async () => {
    await executor.execute(task('noop', { delayMs: 30 }));
    await executor.execute(task('fault.inject', { fail: { code: 'transient' } }));
    expect(await series(metrics, 'agentos_worker_tasks_total')).toEqual([
      [{ worker_type: 'io', tool: 'noop', status: 'succeeded' }, 1],
      [{ worker_type: 'io', tool: 'noop', status: 'failed' }, 0],
      [{ worker_type: 'io', tool: 'fault.inject', status: 'succeeded' }, 0],
      [{ worker_type: 'io', tool: 'fault.inject', status: 'failed' }, 1],
    ]);
    const histogram = (await metrics.registry.getMetricsAsJSON()).find((metric) => metric.name === 'agentos_worker_task_duration_seconds')!;
    const sumOf = (tool: string) =>
      histogram.values.find((value) => (value as { metricName?: string }).metricName === 'agentos_worker_task_duration_seconds_sum' && value.labels.tool === tool)?.value;
    const seconds = sumOf('noop')!;
    expect(seconds).toBeGreaterThanOrEqual(0.025);
    expect(seconds).toBeLessThan(5);
  });

  it('counts a task naming a tool it does not have under one `unknown` label, whatever the name', async () => {
    await executor.execute(task('no.such.tool'));
    await executor.execute(task(`random-${Math.random()}`));
    const failed = (await series(metrics, 'agentos_worker_tasks_total')).filter(([labels]) => labels.status === 'failed');
    expect(failed).toEqual([[{ worker_type: 'io', tool: UNKNOWN_TOOL_LABEL, status: 'failed' }, 2]]);
  });
});
