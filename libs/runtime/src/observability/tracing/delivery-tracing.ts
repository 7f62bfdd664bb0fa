import { Context, context, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { Delivery, DeliveryHandler, MessageBus } from '../../bus/message-bus';
import { LogContext, withLogContext } from '../log-context';
import { activeTracer } from './active-tracer';
import { deliveryLogContextEnabled } from './delivery-log-context';
import { withHandledGoal } from './goal-context';
import { goalTraces } from './goal-trace-registry';
import { deliveryAttributes, isTracedKind, SPAN_ATTRIBUTES, taskIdOf } from './messaging-attributes';
import { extractSpanContext } from './trace-headers';

/**
 * Runs a subscriber's handler for one delivery, as both buses do. With tracing on: inside a
 * consumer span (`<topic> process`) continuing the trace the record's headers carry, with the
 * log context (goal, task, trace and span ids) set; the span covers everything the handler
 * awaits, and what it publishes meanwhile is a child of it. A goal that arrives without trace
 * context starts a root span `goal <goalId>`, which its later messages join.
 * Records outside a goal's trace (events, control signals, run records, announcements: see
 * isTracedKind) get the log context without a span. With tracing off: the handler alone (plus
 * the log context if asked for), no SDK work.
 */
export function handleDelivery(transport: MessageBus['transport'], delivery: Delivery, handler: DeliveryHandler): Promise<void> {
  const tracer = activeTracer();
  if (tracer && isTracedKind(delivery.message.kind)) return handleTraced(tracer, transport, delivery, handler);
  // With tracing on, AsyncLocalStorage is in use anyway: the log context costs nothing more.
  if (!tracer && !deliveryLogContextEnabled()) return handler(delivery);
  return withLogContext(logContextOf(delivery), () => handler(delivery));
}

function handleTraced(tracer: Tracer, transport: MessageBus['transport'], delivery: Delivery, handler: DeliveryHandler): Promise<void> {
  const { goalId } = delivery.message;
  const parent = parentOfDelivery(tracer, delivery);
  const span = tracer.startSpan(`${delivery.topic} process`, { kind: SpanKind.CONSUMER, attributes: deliveryAttributes(transport, delivery) }, parent);
  const { traceId, spanId } = span.spanContext();
  // A goal continuing its producer's trace: later messages of the goal are parented under this span.
  if (delivery.message.kind === 'goal') goalTraces.remember(goalId, span.spanContext());
  const active = withHandledGoal(trace.setSpan(parent, span), goalId);
  const log = { ...logContextOf(delivery), traceId, spanId };
  let handling: Promise<void>;
  try {
    handling = context.with(active, () => withLogContext(log, () => handler(delivery)));
  } catch (error) {
    endFailed(span, error);
    return Promise.reject(error);
  }
  // Settled with then() rather than awaited in an async function: one promise less per delivery.
  return handling.then(
    () => span.end(),
    (error: unknown) => {
      endFailed(span, error);
      throw error;
    },
  );
}

function endFailed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

/** The record's own trace context; else its goal's; else, for a goal, a new root span `goal <goalId>`. */
function parentOfDelivery(tracer: Tracer, delivery: Delivery): Context {
  const remote = extractSpanContext(delivery.headers);
  if (remote) return trace.setSpanContext(ROOT_CONTEXT, remote);
  const { goalId } = delivery.message;
  const known = goalTraces.spanContextOf(goalId);
  if (known) return trace.setSpanContext(ROOT_CONTEXT, known);
  if (delivery.message.kind !== 'goal') return ROOT_CONTEXT;
  const root = tracer.startSpan(`goal ${goalId}`, { kind: SpanKind.INTERNAL, root: true, attributes: { [SPAN_ATTRIBUTES.goalId]: goalId } }, ROOT_CONTEXT);
  goalTraces.remember(goalId, root.spanContext(), root);
  return trace.setSpan(ROOT_CONTEXT, root);
}

function logContextOf({ message }: Delivery): LogContext {
  const taskId = taskIdOf(message);
  return taskId === undefined ? { goalId: message.goalId } : { goalId: message.goalId, taskId };
}
