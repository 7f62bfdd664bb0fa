import { ProxyTracerProvider, trace, Tracer, TracerProvider } from '@opentelemetry/api';

/** The instrumentation scope of every span the AgentOS runtime creates. */
export const AGENTOS_TRACER_NAME = '@agentos/runtime';

/** What the API hands out while no SDK is registered: a provider whose spans record nothing. */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();

let cached: { readonly provider: TracerProvider; readonly tracer: Tracer | undefined } | undefined;

/**
 * The tracer of the registered SDK, or undefined when none is registered (OTEL_TRACES_EXPORTER
 * none, the default): callers then skip every span, header and context operation. Checked on
 * each call, so a provider registered later (or disabled, in tests) is seen at once; the check
 * is a global lookup and an identity comparison.
 */
export function activeTracer(): Tracer | undefined {
  let provider = trace.getTracerProvider();
  if (provider instanceof ProxyTracerProvider) provider = provider.getDelegate();
  if (cached?.provider !== provider) {
    cached = { provider, tracer: provider === NOOP_PROVIDER ? undefined : provider.getTracer(AGENTOS_TRACER_NAME) };
  }
  return cached.tracer;
}
