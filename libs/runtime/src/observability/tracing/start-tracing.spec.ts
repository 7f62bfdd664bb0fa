import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ConfigError } from '../../errors/agentos-error';
import { activeTracer } from './active-tracer';
import { startTracing, TracingHandle } from './start-tracing';

describe('startTracing', () => {
  let handle: TracingHandle | undefined;
  let stdout: jest.SpyInstance;

  beforeEach(() => {
    // The console exporter prints each span; kept out of the test output, and read where it matters.
    stdout = jest.spyOn(console, 'dir').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await handle?.shutdown();
    handle = undefined;
    stdout.mockRestore();
  });

  it('registers nothing by default (OTEL_TRACES_EXPORTER unset is none): no tracer for the buses', () => {
    handle = startTracing('worker-io', {});
    expect(handle.enabled).toBe(false);
    expect(activeTracer()).toBeUndefined();
  });

  it('registers nothing with OTEL_TRACES_EXPORTER=none', () => {
    handle = startTracing('worker-io', { OTEL_TRACES_EXPORTER: 'none' });
    expect(handle.enabled).toBe(false);
    expect(activeTracer()).toBeUndefined();
  });

  it('registers a tracer, the W3C propagator and a context manager with OTEL_TRACES_EXPORTER=console, and unregisters them at shutdown', async () => {
    handle = startTracing('worker-io', { OTEL_TRACES_EXPORTER: 'console' });
    expect(handle.enabled).toBe(true);
    const tracer = activeTracer();
    expect(tracer).toBeDefined();

    const span = tracer!.startSpan('probe');
    const carrier: Record<string, string> = {};
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => {
      expect(trace.getActiveSpan()).toBe(span);
      propagation.inject(context.active(), carrier);
    });
    span.end();
    expect(carrier.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    const printed = stdout.mock.calls.map(([entry]) => entry as { name?: string; resource?: { attributes?: Record<string, unknown> } });
    expect(printed.find((entry) => entry.name === 'probe')?.resource?.attributes?.['service.name']).toBe('worker-io');

    await handle.shutdown();
    expect(activeTracer()).toBeUndefined();
    expect(propagation.fields()).toEqual([]);
  });

  it('names the service after OTEL_SERVICE_NAME when given', () => {
    handle = startTracing('worker-io', { OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'io-pool-eu' });
    activeTracer()!.startSpan('named').end();
    const printed = stdout.mock.calls.map(([entry]) => entry as { name?: string; resource?: { attributes?: Record<string, unknown> } });
    expect(printed.find((entry) => entry.name === 'named')?.resource?.attributes?.['service.name']).toBe('io-pool-eu');
  });

  it('refuses to start twice in one process', () => {
    handle = startTracing('supervisor', { OTEL_TRACES_EXPORTER: 'console' });
    expect(() => startTracing('supervisor', { OTEL_TRACES_EXPORTER: 'console' })).toThrow(ConfigError);
  });

  it('fails fast on an exporter it does not know, naming the variable', () => {
    expect(() => startTracing('supervisor', { OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER/);
  });

  it('starts with the OTLP exporter and shuts down cleanly with no collector to flush to', async () => {
    handle = startTracing('supervisor', { OTEL_TRACES_EXPORTER: 'otlp' });
    expect(handle.enabled).toBe(true);
    await handle.shutdown();
    expect(activeTracer()).toBeUndefined();
  });
});
