import { Span, SpanContext } from '@opentelemetry/api';

/** Most goals whose trace a process remembers; the oldest is forgotten first beyond it. */
export const DEFAULT_GOAL_TRACE_CAPACITY = 100_000;

interface GoalTrace {
  readonly spanContext: SpanContext;
  /** The `goal <goalId>` span this process started for a goal that arrived without trace context; ended when forgotten. */
  readonly root: Span | undefined;
}

/**
 * Which trace each goal belongs to, so a message published outside any delivery's context (a
 * timer, a group commit, a batch carrying another goal's tasks) still joins its goal's trace.
 *
 * Entries are set when a goal is delivered and forgotten when its terminal event is published.
 * Goals that never end here (forwarded to another partition's owner, taken over by another
 * instance) are forgotten oldest-first beyond `capacity`, so the registry stays bounded.
 */
export class GoalTraceRegistry {
  private readonly goals = new Map<string, GoalTrace>();

  constructor(private readonly capacity = DEFAULT_GOAL_TRACE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.goals.size;
  }

  /** The span context the goal's messages are parented under, if the goal is known. */
  spanContextOf(goalId: string): SpanContext | undefined {
    return this.goals.get(goalId)?.spanContext;
  }

  has(goalId: string): boolean {
    return this.goals.has(goalId);
  }

  /**
   * Remembers the goal's trace unless it is already known (a goal delivered again keeps its
   * first trace). `root` is a span owned by the registry from now on: ended when the goal is forgotten.
   * Returns whether the entry was added.
   */
  remember(goalId: string, spanContext: SpanContext, root?: Span): boolean {
    if (this.goals.has(goalId)) return false;
    this.goals.set(goalId, { spanContext, root });
    if (this.goals.size > this.capacity) this.evictOldest();
    return true;
  }

  /** The goal ended: its root span (if this process started one) ends now. */
  forget(goalId: string): void {
    const entry = this.goals.get(goalId);
    if (!entry) return;
    this.goals.delete(goalId);
    entry.root?.end();
  }

  /** Forgets every goal, ending the root spans still open (at shutdown, before the exporter flushes). */
  clear(): void {
    const entries = [...this.goals.values()];
    this.goals.clear();
    for (const entry of entries) {
      entry.root?.setAttribute('agentos.goal.unfinished', true);
      entry.root?.end();
    }
  }

  private evictOldest(): void {
    const oldest = this.goals.keys().next();
    if (oldest.done) return;
    const entry = this.goals.get(oldest.value)!;
    this.goals.delete(oldest.value);
    entry.root?.setAttribute('agentos.goal.unfinished', true);
    entry.root?.end();
  }
}

/** The process's registry: shared by every bus in it (the embedded runtime runs all services on one). */
export const goalTraces = new GoalTraceRegistry();
