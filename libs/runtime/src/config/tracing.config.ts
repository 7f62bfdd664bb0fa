import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;
export type TracesExporter = (typeof TRACES_EXPORTERS)[number];

/**
 * Which spans a process exports, from the standard OpenTelemetry variables. The OTLP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, headers, timeout) is read by
 * the OTLP exporter and OTEL_RESOURCE_ATTRIBUTES by the resource detector, from the process's
 * environment, as the specification defines them.
 */
export class TracingConfig {
  /** `none` (the default): no SDK, no spans, no trace headers; `otlp`: OTLP over HTTP; `console`: spans printed to stdout. */
  @IsIn(TRACES_EXPORTERS)
  readonly OTEL_TRACES_EXPORTER: TracesExporter = 'none';

  /** The service.name resource attribute; defaults to the service's own name (supervisor, worker-io, ...). */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  readonly OTEL_SERVICE_NAME?: string;
}
