import { collectRefs, LIMITS, parseOutputRef, TaskGraph } from '@agentos/contracts';
import { ToolCatalog } from '../catalog/tool-catalog';
import { PlanError } from './plan-error';
import { ValidatedPlan } from './validated-plan';

export type PlanValidation = { ok: true; plan: ValidatedPlan } | { ok: false; errors: PlanError[] };

const MAX_REPORTED_ERRORS = 50;

/**
 * Checks that a plan can run: unique ids, known dependencies and references, no cycles,
 * worker types and tools that exist, outputs that name tasks, within size limits. Every
 * plan goes through here, whoever wrote it. Runs in O(tasks + edges).
 */
export class PlanValidator {
  constructor(
    /** Absent: the structure alone is checked (a plan restored from the runs journal was checked when it was made). */
    private readonly catalog: ToolCatalog | undefined,
    private readonly maxTasks: number = LIMITS.maxTasksPerGraph,
  ) {}

  validate(graph: TaskGraph): PlanValidation {
    const errors: PlanError[] = [];
    const report = (error: PlanError): void => {
      if (errors.length < MAX_REPORTED_ERRORS) errors.push(error);
    };
    const nodes = graph.tasks;
    if (nodes.length > this.maxTasks) {
      return { ok: false, errors: [{ code: 'too_many_tasks', message: `plan has ${nodes.length} tasks, the limit is ${this.maxTasks}` }] };
    }

    const indexOf = new Map<string, number>();
    nodes.forEach((node, index) => {
      if (indexOf.has(node.id)) report({ code: 'duplicate_task', taskId: node.id, message: `task id "${node.id}" is used more than once` });
      else indexOf.set(node.id, index);
    });

    const dependencies: number[][] = [];
    const hasRefs: boolean[] = [];
    nodes.forEach((node) => {
      if (this.catalog) this.checkCapability(this.catalog, node.workerType, node.tool, node.id, report);
      const upstream = new Set<number>();
      for (const dependency of node.dependsOn ?? []) {
        const target = indexOf.get(dependency);
        if (dependency === node.id) report({ code: 'self_dependency', taskId: node.id, message: `task "${node.id}" depends on itself` });
        else if (target === undefined) report({ code: 'unknown_dependency', taskId: node.id, message: `task "${node.id}" depends on unknown task "${dependency}"` });
        else upstream.add(target);
      }
      const refs = node.input ? collectRefs(node.input) : [];
      for (const ref of refs) {
        const parsed = parseOutputRef(ref);
        if (!parsed) {
          report({ code: 'invalid_reference', taskId: node.id, message: `task "${node.id}" has a malformed reference "${ref}" (expected "<taskId>" or "<taskId>.<path>")` });
          continue;
        }
        const target = indexOf.get(parsed.taskId);
        if (parsed.taskId === node.id) report({ code: 'self_dependency', taskId: node.id, message: `task "${node.id}" references its own output` });
        else if (target === undefined) report({ code: 'unknown_reference', taskId: node.id, message: `task "${node.id}" references the output of unknown task "${parsed.taskId}"` });
        else upstream.add(target);
      }
      dependencies.push([...upstream]);
      hasRefs.push(refs.length > 0);
    });

    const outputs: number[] = [];
    for (const output of graph.outputs ?? []) {
      const index = indexOf.get(output);
      if (index === undefined) report({ code: 'unknown_output', taskId: output, message: `output "${output}" is not a task of the plan` });
      else outputs.push(index);
    }
    if (errors.length > 0) return { ok: false, errors };

    const dependents: number[][] = nodes.map(() => []);
    dependencies.forEach((upstream, index) => upstream.forEach((source) => dependents[source]!.push(index)));
    const cycle = findCycle(dependencies, dependents);
    if (cycle) {
      const path = [...cycle, cycle[0]!].map((index) => nodes[index]!.id).join(' -> ');
      return { ok: false, errors: [{ code: 'cycle', taskId: nodes[cycle[0]!]!.id, message: `the plan has a cycle: ${path}` }] };
    }

    const sinks = dependents.flatMap((downstream, index) => (downstream.length === 0 ? [index] : []));
    return {
      ok: true,
      plan: { graph, nodes, indexOf, dependencies, dependents, hasRefs, outputs: outputs.length > 0 ? outputs : sinks },
    };
  }

  private checkCapability(catalog: ToolCatalog, workerType: string, tool: string, taskId: string, report: (error: PlanError) => void): void {
    const tools = catalog.tools(workerType);
    if (!tools) {
      report({ code: 'unknown_worker_type', taskId, message: `task "${taskId}" needs worker type "${workerType}", which nobody offers (alive: ${catalog.workerTypes().join(', ') || 'none'})` });
    } else if (!tools.includes(tool)) {
      report({ code: 'unknown_tool', taskId, message: `task "${taskId}" uses tool "${tool}", which worker type "${workerType}" does not offer (it offers: ${tools.join(', ')})` });
    }
  }
}

/** Kahn's algorithm; when nodes remain, walks them to return one cycle's task indexes in order. */
function findCycle(dependencies: readonly (readonly number[])[], dependents: readonly (readonly number[])[]): number[] | undefined {
  const remaining = dependencies.map((upstream) => upstream.length);
  const queue: number[] = [];
  remaining.forEach((count, index) => count === 0 && queue.push(index));
  let visited = 0;
  for (let head = 0; head < queue.length; head++) {
    visited++;
    for (const next of dependents[queue[head]!]!) if (--remaining[next]! === 0) queue.push(next);
  }
  if (visited === dependencies.length) return undefined;

  // Every node left has an unvisited dependency; following those must revisit a node.
  const start = remaining.findIndex((count) => count > 0);
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let current = start;
  while (!seenAt.has(current)) {
    seenAt.set(current, path.length);
    path.push(current);
    current = dependencies[current]!.find((upstream) => remaining[upstream]! > 0)!;
  }
  return path.slice(seenAt.get(current)).reverse();
}
