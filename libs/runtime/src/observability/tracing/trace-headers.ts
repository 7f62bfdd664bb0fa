import { Context, ROOT_CONTEXT, SpanContext, TextMapGetter, TextMapSetter, trace } from '@opentelemetry/api';
import { TRACE_PARENT_HEADER, TRACE_STATE_HEADER, W3CTraceContextPropagator } from '@opentelemetry/core';
import { Headers } from '../../bus/message-bus';

export { TRACE_PARENT_HEADER, TRACE_STATE_HEADER };

/**
 * The wire format of trace context on the bus is W3C Trace Context (`traceparent`,
 * `tracestate`) whatever propagator the process registered globally: a record is read by
 * services in other processes and languages that expect exactly these headers.
 */
const propagator = new W3CTraceContextPropagator();

const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** Writes the span context active in `context` into `headers` (replacing any earlier trace headers). */
export function injectTraceHeaders(context: Context, headers: Record<string, string>): void {
  propagator.inject(context, headers, headerSetter);
}

/** The remote span context a record's headers carry, or undefined when they carry none (or an invalid one). */
export function extractSpanContext(headers: Headers): SpanContext | undefined {
  if (headers[TRACE_PARENT_HEADER] === undefined) return undefined;
  return trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, headerGetter));
}
