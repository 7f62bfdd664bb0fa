import { JsonValue, TaskError, TaskGraph, TaskNode } from '@agentos/contracts';
import { ValidatedPlan } from './validated-plan';

/** What a replan starts from: the current plan, what finished, and what failed. */
export interface ReplanContext {
  readonly plan: ValidatedPlan;
  readonly finished: ReadonlyArray<{ readonly node: TaskNode; readonly output: JsonValue | undefined }>;
  readonly failed: { readonly node: TaskNode; readonly error: TaskError };
}

const MAX_OUTPUT_CHARS_IN_PROMPT = 2_000;

/** A finished task as the model sees it: its definition and (a preview of) its output. */
export function finishedForPrompt(context: ReplanContext): JsonValue[] {
  return context.finished.map(({ node, output }) => {
    const text = JSON.stringify(output ?? null);
    return {
      id: node.id,
      workerType: node.workerType,
      tool: node.tool,
      output: text.length <= MAX_OUTPUT_CHARS_IN_PROMPT ? (output ?? null) : `${text.slice(0, MAX_OUTPUT_CHARS_IN_PROMPT)}… (truncated)`,
    };
  });
}

/**
 * The graph a replacement makes together with what finished: finished tasks stay (so references
 * to their outputs validate), replacement tasks are added. Ids of the current plan are taken:
 * a replacement reusing one would be confused with that task's late results.
 */
export function mergeReplacement(context: ReplanContext, replacement: TaskGraph): { graph: TaskGraph } | { problems: string[] } {
  const taken = new Set(context.plan.nodes.map((node) => node.id));
  const reused = replacement.tasks.filter((task) => taken.has(task.id)).map((task) => task.id);
  if (reused.length > 0) {
    return { problems: [`task ids already used by the current plan: ${reused.join(', ')}; give replacement tasks new ids (finished tasks are referenced, never redefined)`] };
  }
  return {
    graph: {
      tasks: [...context.finished.map(({ node }) => node), ...replacement.tasks],
      ...(replacement.outputs ? { outputs: replacement.outputs } : {}),
    },
  };
}
