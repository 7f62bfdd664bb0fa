import { collectDefaultMetrics, Registry } from 'prom-client';
import { BusMetrics, DEFAULT_LAG_TIMEOUT_MS } from './bus-metrics';
import { SupervisorMetrics } from './supervisor-metrics';
import { WorkerMetrics } from './worker-metrics';

export interface AgentOsMetricsOptions {
  /** Where the metrics are registered; a new registry by default. */
  readonly registry?: Registry;
  /** How long a scrape waits for consumer lag. */
  readonly lagTimeoutMs?: number;
}

/**
 * Every metric an AgentOS process exports, in one prom-client registry: the supervisor's, the
 * workers' and the buses'. A process holds one (see processMetrics), whichever services it runs:
 * in the embedded runtime the supervisor and both workers share it, so nothing is registered
 * twice, and a service that is absent leaves its metrics without series.
 */
export class AgentOsMetrics {
  readonly registry: Registry;
  readonly supervisor: SupervisorMetrics;
  readonly worker: WorkerMetrics;
  readonly bus: BusMetrics;
  private processMetricsIncluded = false;

  constructor(options: AgentOsMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    this.supervisor = new SupervisorMetrics(this.registry);
    this.worker = new WorkerMetrics(this.registry);
    this.bus = new BusMetrics(this.registry, options.lagTimeoutMs ?? DEFAULT_LAG_TIMEOUT_MS);
  }

  /**
   * Adds prom-client's default metrics (CPU, memory, handles, event loop lag, GC) under their
   * standard names, once. Done when an ops server starts, not before: their event-loop and GC
   * observers are not worth running in a process nobody scrapes.
   */
  includeProcessMetrics(): void {
    if (this.processMetricsIncluded) return;
    this.processMetricsIncluded = true;
    collectDefaultMetrics({ register: this.registry });
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

let shared: AgentOsMetrics | undefined;

/** The process's metrics, created on first use: what services record into unless given others. */
export function processMetrics(): AgentOsMetrics {
  shared ??= new AgentOsMetrics();
  return shared;
}
