import { Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BusMessage, TERMINAL_GOAL_EVENTS } from '@agentos/contracts';
import { MessageBus, OutboundMessage } from '../../bus/message-bus';
import { activeTracer } from './active-tracer';
import { publishParent } from './goal-context';
import { goalTraces } from './goal-trace-registry';
import { isTracedKind, publishAttributes } from './messaging-attributes';
import { injectTraceHeaders } from './trace-headers';

const TERMINAL_EVENTS: ReadonlySet<string> = new Set(TERMINAL_GOAL_EVENTS);

/** A publish with its producer spans open: `end` once the transport accepted (or refused) the records. */
export interface TracedPublish {
  /** The messages to send: traced ones carry `traceparent` (and `tracestate`) headers. */
  readonly messages: readonly OutboundMessage[];
  end(error?: unknown): void;
}

/**
 * Starts a producer span (`<topic> send`) for each goal, task and result published, and writes
 * its context into the record's headers; forgets the trace of each goal whose terminal event is
 * among the messages. Undefined with tracing off: the caller publishes `messages` unchanged.
 *
 * One span per record rather than one per batch with links: a batch mixes goals (the supervisor
 * flushes every run's dispatches together), while each record's consumer span must be a child
 * within its own goal's trace, which a link to a shared batch span cannot give. The cost is a
 * span per traced record (see the micro-measurement in the tracing notes), paid only with tracing on.
 */
export function tracePublish(transport: MessageBus['transport'], messages: readonly OutboundMessage[]): TracedPublish | undefined {
  const tracer = activeTracer();
  if (!tracer) return undefined;
  const traced = new Array<OutboundMessage>(messages.length);
  const spans: Span[] = [];
  let finishedGoals: string[] | undefined;
  for (let i = 0; i < messages.length; i++) {
    const outbound = messages[i]!;
    const { message } = outbound;
    if (!isTracedKind(message.kind)) {
      traced[i] = outbound;
      if (isTerminalEvent(message)) (finishedGoals ??= []).push(message.goalId);
      continue;
    }
    const parent = publishParent(message.goalId, outbound.headers);
    const span = tracer.startSpan(`${outbound.topic} send`, { kind: SpanKind.PRODUCER, attributes: publishAttributes(transport, outbound) }, parent);
    spans.push(span);
    const headers: Record<string, string> = { ...outbound.headers };
    injectTraceHeaders(trace.setSpan(parent, span), headers);
    traced[i] = { ...outbound, headers };
  }
  if (finishedGoals) for (const goalId of finishedGoals) goalTraces.forget(goalId);
  return {
    messages: traced,
    end: (error?: unknown) => {
      for (const span of spans) {
        if (error !== undefined) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        }
        span.end();
      }
    },
  };
}

function isTerminalEvent(message: BusMessage): boolean {
  return message.kind === 'event' && TERMINAL_EVENTS.has(message.type);
}
