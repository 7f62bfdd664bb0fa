import { Context, context, createContextKey, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { extractSpanContext } from './trace-headers';
import { goalTraces } from './goal-trace-registry';
import { Headers } from '../../bus/message-bus';

/** The goal of the delivery whose handler is running: set beside its consumer span. */
const HANDLED_GOAL = createContextKey('agentos.handled_goal_id');

/** `parent` with the consumer span's goal noted, for publishes made while its handler runs. */
export function withHandledGoal(parent: Context, goalId: string): Context {
  return parent.setValue(HANDLED_GOAL, goalId);
}

/**
 * The context a message of `goalId` is published under:
 * 1. trace headers the publisher set itself (it continues a trace of its own, e.g. an HTTP request's);
 * 2. the active span, when it belongs to this goal (a handler publishing its goal's next steps)
 *    or to no goal at all (an HTTP server span submitting a goal);
 * 3. the goal's registered trace (a timer, a group commit, or a batch of another goal's handler
 *    carrying this goal's tasks);
 * 4. none: the message starts a trace of its own.
 */
export function publishParent(goalId: string, headers: Headers | undefined): Context {
  const explicit = headers === undefined ? undefined : extractSpanContext(headers);
  if (explicit) return trace.setSpanContext(ROOT_CONTEXT, explicit);
  const active = context.active();
  const activeGoal = active.getValue(HANDLED_GOAL);
  if ((activeGoal === undefined || activeGoal === goalId) && trace.getSpan(active) !== undefined) return active;
  const registered = goalTraces.spanContextOf(goalId);
  if (registered) return trace.setSpanContext(ROOT_CONTEXT, registered);
  return ROOT_CONTEXT;
}
