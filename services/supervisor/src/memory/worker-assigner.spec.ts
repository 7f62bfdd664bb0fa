import { JsonObject, TaskGraph } from '@agentos/contracts';
import { RunMemory } from '@agentos/memory';
import { seededRandom } from '@agentos/runtime';
import { LearnedStats } from './learned-stats';
import { runMemory, singleAttemptTasks } from './testing/run-memory.builders';
import { ToolOffering, WorkerAssigner } from './worker-assigner';

const TOOL = 'csv.parse';

/** Evidence of `successes` out of `attempts` single-attempt tasks of TOOL on a worker type, each attempt costing `costPerAttempt`. */
function evidence(workerType: string, successes: number, attempts: number, costPerAttempt = 1): RunMemory {
  return runMemory(`evidence-${workerType}`, { tasks: singleAttemptTasks(TOOL, workerType, successes, attempts, costPerAttempt) });
}

function statsOf(...runs: RunMemory[]): LearnedStats {
  const stats = new LearnedStats();
  for (const run of runs) stats.add(run);
  return stats;
}

/** `count` independent tasks of TOOL, planned on `plannedOn`, and one task of a tool only `io` offers. */
function graphOf(count: number, plannedOn = 'a'): TaskGraph {
  return {
    tasks: [
      { id: 'read', workerType: 'io', tool: 'fs.read', input: { path: 'data/x.csv' } },
      ...Array.from({ length: count }, (_, i) => ({ id: `parse-${i}`, workerType: plannedOn, tool: TOOL, input: { row: i }, dependsOn: ['read'] })),
    ],
    outputs: ['read'],
  };
}

const offering: ToolOffering = (tool) => (tool === TOOL ? ['a', 'b'] : tool === 'fs.read' ? ['io'] : []);

function chosenCounts(graph: TaskGraph): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of graph.tasks) if (task.tool === TOOL) counts[task.workerType] = (counts[task.workerType] ?? 0) + 1;
  return counts;
}

function toolDecisions(decision: JsonObject | undefined): JsonObject[] {
  return (decision?.['tools'] ?? []) as JsonObject[];
}

describe('WorkerAssigner', () => {
  it('leaves a plan alone when no tool in it has a choice of worker type', () => {
    const graph: TaskGraph = { tasks: [{ id: 'read', workerType: 'io', tool: 'fs.read' }, { id: 'gone', workerType: 'old', tool: 'retired.tool' }] };
    const assignment = new WorkerAssigner(statsOf(), seededRandom(1)).assign(graph, offering);
    expect(assignment.graph).toBe(graph);
    expect(assignment.decision).toBeUndefined();
  });

  it('never changes the tasks of a tool offered by one worker type only', () => {
    const graph = graphOf(20);
    const assignment = new WorkerAssigner(statsOf(), seededRandom(2)).assign(graph, offering);
    expect(assignment.graph.tasks[0]).toBe(graph.tasks[0]);
    expect(toolDecisions(assignment.decision).map((decision) => decision['tool'])).toEqual([TOOL]);
  });

  it('sends nearly every task to the worker type that succeeds far more often at the same cost', () => {
    const stats = statsOf(evidence('a', 95, 100), evidence('b', 40, 100));
    const assignment = new WorkerAssigner(stats, seededRandom(3)).assign(graphOf(200, 'b'), offering);
    expect(chosenCounts(assignment.graph)['a'] ?? 0).toBeGreaterThanOrEqual(190);
  });

  it('tries both worker types when nothing is known of either', () => {
    const counts = chosenCounts(new WorkerAssigner(statsOf(), seededRandom(4)).assign(graphOf(200), offering).graph);
    expect(counts['a']).toBeGreaterThanOrEqual(50);
    expect(counts['b']).toBeGreaterThanOrEqual(50);
  });

  it('keeps trying a type it knows little of next to one it knows well', () => {
    // b is untried: its wide posterior wins some draws against a's known 60%.
    const counts = chosenCounts(new WorkerAssigner(statsOf(evidence('a', 60, 100)), seededRandom(5)).assign(graphOf(200), offering).graph);
    expect(counts['b']).toBeGreaterThan(0);
    expect(counts['a']).toBeGreaterThan(0);
  });

  it('weighs cost: at equal success rates the type that costs half gets most tasks', () => {
    const stats = statsOf(evidence('a', 80, 100, 2), evidence('b', 80, 100, 1));
    const counts = chosenCounts(new WorkerAssigner(stats, seededRandom(6)).assign(graphOf(200), offering).graph);
    expect(counts['b']).toBeGreaterThanOrEqual(190);
  });

  it('says in its decision what it chose per tool, what changed from the plan, and what it knew', () => {
    const stats = statsOf(evidence('a', 30, 50), evidence('b', 45, 50));
    const input = graphOf(100, 'a');
    const { graph, decision } = new WorkerAssigner(stats, seededRandom(7)).assign(input, offering);
    expect(decision?.['decision']).toBe('assignment');
    const [parse] = toolDecisions(decision);
    const changed = graph.tasks.filter((task, i) => task.workerType !== input.tasks[i]!.workerType).length;
    expect(changed).toBeGreaterThan(0);
    expect(parse).toEqual({
      tool: TOOL,
      chosen: chosenCounts(graph),
      explored: expect.any(Number),
      changedFromPlan: changed,
      arms: [
        { workerType: 'a', tries: 50, meanRate: expect.closeTo(31 / 52, 3) },
        { workerType: 'b', tries: 50, meanRate: expect.closeTo(46 / 52, 3) },
      ],
    });
    expect(parse!['explored']).toBeLessThanOrEqual(100);
  });

  it('changes only worker types, never ids, tools, inputs, edges or outputs', () => {
    const input = graphOf(50, 'a');
    const { graph } = new WorkerAssigner(statsOf(evidence('b', 99, 100)), seededRandom(8)).assign(input, offering);
    const withoutWorkerType = (g: TaskGraph) => ({ ...g, tasks: g.tasks.map(({ workerType: _workerType, ...rest }) => rest) });
    expect(withoutWorkerType(graph)).toEqual(withoutWorkerType(input));
    for (const task of graph.tasks) expect(offering(task.tool)).toContain(task.workerType);
  });

  it('does not mutate the graph it is given', () => {
    const input = graphOf(50, 'a');
    const before = structuredClone(input);
    const { graph } = new WorkerAssigner(statsOf(evidence('b', 99, 100)), seededRandom(9)).assign(input, offering);
    expect(graph).not.toBe(input);
    expect(input).toEqual(before);
  });

  it('makes the same choices for the same seed and evidence', () => {
    const stats = statsOf(evidence('a', 50, 100), evidence('b', 55, 100));
    const first = new WorkerAssigner(stats, seededRandom(10)).assign(graphOf(100), offering);
    const second = new WorkerAssigner(stats, seededRandom(10)).assign(graphOf(100), offering);
    const other = new WorkerAssigner(stats, seededRandom(11)).assign(graphOf(100), offering);
    expect(second).toEqual(first);
    expect(other.graph).not.toEqual(first.graph);
  });
});
