import { JsonObject } from '../json/json-value';

/**
 * A plan: tasks and the edges between them. Edges are the union of `dependsOn` and every
 * task referenced from `input` (see output-ref.ts), so a reference is always upstream.
 */
export interface TaskGraph {
  readonly tasks: readonly TaskNode[];
  /** Tasks whose outputs make the goal's result; defaults to every sink of the graph. */
  readonly outputs?: readonly string[];
}

export interface TaskNode {
  readonly id: string;
  readonly workerType: string;
  readonly tool: string;
  /** Literal JSON, where any `{ "$ref": "taskId.path" }` object is replaced by that upstream output. */
  readonly input?: JsonObject;
  readonly dependsOn?: readonly string[];
  readonly timeoutMs?: number;
  /** Attempts allowed for this task (first run included); the supervisor's default otherwise. */
  readonly maxAttempts?: number;
}
