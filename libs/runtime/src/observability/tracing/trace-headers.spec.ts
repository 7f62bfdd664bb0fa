import { ROOT_CONTEXT, SpanContext, TraceFlags, trace } from '@opentelemetry/api';
import { createTraceState } from '@opentelemetry/api';
import { extractSpanContext, injectTraceHeaders } from './trace-headers';

const spanContext: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  traceState: createTraceState('vendor=value'),
};

describe('trace headers on bus records', () => {
  it('writes W3C traceparent and tracestate, and reads back the same span context, marked remote', () => {
    const headers: Record<string, string> = { 'x-other': 'kept' };
    injectTraceHeaders(trace.setSpanContext(ROOT_CONTEXT, spanContext), headers);

    expect(headers).toEqual({
      'x-other': 'kept',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=value',
    });
    const extracted = extractSpanContext(headers);
    expect(extracted).toMatchObject({ traceId: spanContext.traceId, spanId: spanContext.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(extracted!.traceState!.serialize()).toBe('vendor=value');
  });

  it('keeps the sampled flag off when the span is not sampled', () => {
    const headers: Record<string, string> = {};
    injectTraceHeaders(trace.setSpanContext(ROOT_CONTEXT, { ...spanContext, traceFlags: TraceFlags.NONE, traceState: undefined }), headers);
    expect(headers).toEqual({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' });
    expect(extractSpanContext(headers)!.traceFlags).toBe(TraceFlags.NONE);
  });

  it('writes nothing for a context without a valid span', () => {
    const headers: Record<string, string> = {};
    injectTraceHeaders(ROOT_CONTEXT, headers);
    expect(headers).toEqual({});
  });

  it.each([
    ['no trace headers', {}],
    ['a malformed traceparent', { traceparent: 'not-a-traceparent' }],
    ['an all-zero trace id', { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' }],
    ['an unknown version ff', { traceparent: 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }],
  ])('reads no span context from %s', (_, headers: Record<string, string>) => {
    expect(extractSpanContext(headers)).toBeUndefined();
  });
});
