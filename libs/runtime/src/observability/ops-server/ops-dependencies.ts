import { AgentOsMetrics } from '../metrics/agentos-metrics';
import { ReadinessChecks } from '../health/readiness-checks';
import { OpsReports } from '../reports/ops-reports';

/** What the ops server reports on: the process's metrics, readiness checks and reports. */
export interface OpsDependencies {
  readonly metrics: AgentOsMetrics;
  readonly readiness: ReadinessChecks;
  /** Named JSON reports services offer at GET /reports/<name>; none when absent. */
  readonly reports?: OpsReports;
  /** Bound on each readiness check (DEFAULT_READINESS_TIMEOUT_MS when absent). */
  readonly readinessTimeoutMs?: number;
}

export const OPS_DEPENDENCIES = Symbol('OPS_DEPENDENCIES');
