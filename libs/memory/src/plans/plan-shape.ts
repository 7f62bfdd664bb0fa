import { collectRefs, parseOutputRef, TaskGraph } from '@agentos/contracts';
import { createHash } from 'node:crypto';

/**
 * A plan's shape: what runs where and what feeds what, without task ids or literal inputs.
 * Each task is named by its worker type and tool plus the names of its upstream tasks,
 * recursively (a Merkle hash), so two plans that differ only in ids, input values or task
 * order have the same shape, and any change of tool, worker type or edge gives another.
 * Returns 16 hex characters; a graph with a cycle or an unknown reference (never valid) is
 * shaped by what can be resolved.
 */
export function planShape(graph: TaskGraph): string {
  const byId = new Map(graph.tasks.map((task) => [task.id, task]));
  const upstreamOf = (id: string): string[] => {
    const task = byId.get(id)!;
    const upstream = new Set(task.dependsOn ?? []);
    for (const ref of task.input ? collectRefs(task.input) : []) {
      const parsed = parseOutputRef(ref);
      if (parsed) upstream.add(parsed.taskId);
    }
    return [...upstream].filter((upstreamId) => upstreamId !== id && byId.has(upstreamId));
  };
  const names = new Map<string, string>();
  const visiting = new Set<string>();
  const nameOf = (id: string): string => {
    const known = names.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 'cycle';
    visiting.add(id);
    const task = byId.get(id)!;
    const upstream = upstreamOf(id).map(nameOf).sort();
    visiting.delete(id);
    const name = digest(`${task.workerType}/${task.tool}(${upstream.join(',')})`);
    names.set(id, name);
    return name;
  };
  const outputs = new Set(graph.outputs ?? []);
  const tasks = graph.tasks.map((task) => `${nameOf(task.id)}${outputs.has(task.id) ? '*' : ''}`).sort();
  return digest(tasks.join('|')).slice(0, 16);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
