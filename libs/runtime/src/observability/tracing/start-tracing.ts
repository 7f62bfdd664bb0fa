import { Logger } from '@nestjs/common';
import { context, diag, DiagLogger, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, SimpleSpanProcessor, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { loadConfig } from '../../config/load-config';
import { TracingConfig } from '../../config/tracing.config';
import { ConfigError } from '../../errors/agentos-error';
import { activeTracer } from './active-tracer';
import { goalTraces } from './goal-trace-registry';

/** Tracing as started for a process; `shutdown` exports what is buffered and unregisters the SDK. */
export interface TracingHandle {
  /** False with OTEL_TRACES_EXPORTER=none: nothing was registered. */
  readonly enabled: boolean;
  /** Ends the goals' open root spans, flushes the exporter, unregisters the SDK. Idempotent; never rejects. */
  shutdown(): Promise<void>;
}

const DISABLED: TracingHandle = { enabled: false, shutdown: async () => undefined };

/**
 * Starts OpenTelemetry tracing for a service process from the standard OTEL_* variables (see
 * TracingConfig): registers a tracer provider, the W3C trace-context propagator and the
 * AsyncLocalStorage context manager, after which both buses create producer and consumer spans
 * and carry `traceparent` headers. With OTEL_TRACES_EXPORTER=none (the default) it registers
 * nothing, and the buses do no tracing work at all. Call it once, before the bus publishes.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): TracingHandle {
  const config = loadConfig(TracingConfig, env);
  if (config.OTEL_TRACES_EXPORTER === 'none') return DISABLED;
  if (activeTracer()) throw new ConfigError('tracing is already started in this process: call startTracing once');

  diag.setLogger(nestDiagLogger(), DiagLogLevel.WARN);
  const provider = new NodeTracerProvider({
    resource: serviceResource(serviceName, config.OTEL_SERVICE_NAME),
    spanProcessors: [spanProcessor(config.OTEL_TRACES_EXPORTER)],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });

  let stopping: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    goalTraces.clear();
    try {
      await provider.shutdown();
    } catch (error) {
      new Logger('Tracing').warn(`flushing spans at shutdown failed: ${(error as Error).message}`);
    } finally {
      trace.disable();
      propagation.disable();
      context.disable();
      diag.disable();
    }
  };
  return {
    enabled: true,
    shutdown: () => (stopping ??= shutdown()),
  };
}

/**
 * service.name is the service's own name unless OTEL_RESOURCE_ATTRIBUTES or OTEL_SERVICE_NAME
 * (in the process environment, read by the env detector, or in `env`) says otherwise.
 */
function serviceResource(serviceName: string, configuredName: string | undefined): Resource {
  let resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }))
    .merge(detectResources({ detectors: [envDetector] }));
  if (configuredName !== undefined) resource = resource.merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: configuredName }));
  return resource;
}

function spanProcessor(exporter: 'otlp' | 'console'): SpanProcessor {
  // Console output is for a developer watching: each span as it ends. OTLP goes out in batches.
  if (exporter === 'console') return new SimpleSpanProcessor(new ConsoleSpanExporter());
  return new BatchSpanProcessor(new OTLPTraceExporter() as unknown as SpanExporter);
}

/** The SDK's own warnings (an unreachable collector, dropped spans) in the service's log. */
function nestDiagLogger(): DiagLogger {
  const logger = new Logger('OpenTelemetry');
  const line = (message: string, args: unknown[]): string => [message, ...args.map((arg) => (arg instanceof Error ? arg.message : String(arg)))].join(' ');
  return {
    error: (message, ...args) => logger.error(line(message, args)),
    warn: (message, ...args) => logger.warn(line(message, args)),
    info: (message, ...args) => logger.log(line(message, args)),
    debug: (message, ...args) => logger.debug(line(message, args)),
    verbose: (message, ...args) => logger.verbose(line(message, args)),
  };
}
