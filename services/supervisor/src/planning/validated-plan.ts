import { TaskGraph, TaskNode } from '@agentos/contracts';

/**
 * A plan that passed validation, compiled for scheduling: tasks by index, edges both ways
 * (dependencies include every task referenced from an input), and the output tasks.
 */
export interface ValidatedPlan {
  /** The graph as planned (persisted with the run when it is not the goal's own plan). */
  readonly graph: TaskGraph;
  readonly nodes: readonly TaskNode[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly dependencies: readonly (readonly number[])[];
  readonly dependents: readonly (readonly number[])[];
  /** True where the input holds `$ref`s to bind before dispatch. */
  readonly hasRefs: readonly boolean[];
  readonly outputs: readonly number[];
}
