import { TaskGraph } from '@agentos/contracts';
import { planShape } from './plan-shape';

// fetch -> parse -> (sum, count) -> report
const report: TaskGraph = {
  tasks: [
    { id: 'fetch', workerType: 'io', tool: 'http.request', input: { url: 'https://example.com/a.csv' } },
    { id: 'parse', workerType: 'logic', tool: 'csv.parse', input: { text: { $ref: 'fetch.body' } } },
    { id: 'sum', workerType: 'logic', tool: 'jsonata', input: { expression: '$sum(x)', data: { $ref: 'parse.rows' } } },
    { id: 'count', workerType: 'logic', tool: 'jsonata', input: { expression: '$count(x)', data: { $ref: 'parse.rows' } } },
    { id: 'report', workerType: 'logic', tool: 'text.template', dependsOn: ['sum', 'count'] },
  ],
  outputs: ['report'],
};

const renamed = (graph: TaskGraph, prefix: string): TaskGraph => {
  const rename = (id: string) => `${prefix}${id}`;
  return {
    tasks: graph.tasks.map((task) => ({
      ...task,
      id: rename(task.id),
      ...(task.dependsOn ? { dependsOn: task.dependsOn.map(rename) } : {}),
      ...(task.input ? { input: JSON.parse(JSON.stringify(task.input).replace(/"\$ref":"([^".]+)/g, (_m, id: string) => `"$ref":"${rename(id)}`)) } : {}),
    })),
    ...(graph.outputs ? { outputs: graph.outputs.map(rename) } : {}),
  };
};

describe('planShape', () => {
  it('is 16 hex characters, the same every time', () => {
    expect(planShape(report)).toMatch(/^[0-9a-f]{16}$/);
    expect(planShape(report)).toBe(planShape(JSON.parse(JSON.stringify(report)) as TaskGraph));
  });

  it('ignores task ids, input values and task order', () => {
    expect(planShape(renamed(report, 'x-'))).toBe(planShape(report));
    const otherInputs: TaskGraph = { ...report, tasks: report.tasks.map((task) => (task.id === 'fetch' ? { ...task, input: { url: 'https://example.com/b.csv' } } : task)) };
    expect(planShape(otherInputs)).toBe(planShape(report));
    expect(planShape({ ...report, tasks: [...report.tasks].reverse() })).toBe(planShape(report));
  });

  it('changes with a tool, a worker type, an edge or the outputs', () => {
    const shape = planShape(report);
    const swapTool = { ...report, tasks: report.tasks.map((task) => (task.id === 'sum' ? { ...task, tool: 'math.evaluate' } : task)) };
    const swapWorker = { ...report, tasks: report.tasks.map((task) => (task.id === 'fetch' ? { ...task, workerType: 'io-gpu' } : task)) };
    const dropEdge = { ...report, tasks: report.tasks.map((task) => (task.id === 'report' ? { ...task, dependsOn: ['sum'] } : task)) };
    const otherOutputs = { ...report, outputs: ['sum', 'report'] };
    for (const changed of [swapTool, swapWorker, dropEdge, otherOutputs]) expect(planShape(changed)).not.toBe(shape);
  });

  it('tells apart plans with the same tools wired differently', () => {
    const chain: TaskGraph = { tasks: [{ id: 'a', workerType: 'io', tool: 'noop' }, { id: 'b', workerType: 'io', tool: 'noop', dependsOn: ['a'] }, { id: 'c', workerType: 'io', tool: 'noop', dependsOn: ['b'] }] };
    const fan: TaskGraph = { tasks: [{ id: 'a', workerType: 'io', tool: 'noop' }, { id: 'b', workerType: 'io', tool: 'noop', dependsOn: ['a'] }, { id: 'c', workerType: 'io', tool: 'noop', dependsOn: ['a'] }] };
    expect(planShape(chain)).not.toBe(planShape(fan));
  });

  it('does not loop on a cycle (never a valid plan, but shaped anyway)', () => {
    const cycle: TaskGraph = { tasks: [{ id: 'a', workerType: 'io', tool: 'noop', dependsOn: ['b'] }, { id: 'b', workerType: 'io', tool: 'noop', dependsOn: ['a'] }] };
    expect(planShape(cycle)).toMatch(/^[0-9a-f]{16}$/);
  });
});
