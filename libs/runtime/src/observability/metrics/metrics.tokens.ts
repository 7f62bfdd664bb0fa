import { FactoryProvider } from '@nestjs/common';
import { AgentOsMetrics, processMetrics } from './agentos-metrics';

/** The process's AgentOsMetrics, in a service's Nest container. */
export const AGENTOS_METRICS = Symbol('AGENTOS_METRICS');

/** Provides AGENTOS_METRICS: `metrics` when given (tests), else the process's (processMetrics). */
export function metricsProvider(metrics?: AgentOsMetrics): FactoryProvider<AgentOsMetrics> {
  return { provide: AGENTOS_METRICS, useFactory: () => metrics ?? processMetrics() };
}
