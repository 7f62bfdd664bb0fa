import { FactoryProvider } from '@nestjs/common';

/** Produces one report on request, sent as JSON (it may read a database: the route bounds it). */
export type OpsReport = () => Promise<object>;

/**
 * Named JSON reports a service offers operators on its ops server, at GET /reports/<name>
 * (the supervisor offers `memory`: what its memory has learned). Registered while a service runs.
 */
export class OpsReports {
  private readonly reports = new Map<string, OpsReport>();

  /** Adds a report until the returned function is called; a second one of the same name replaces none (suffixed). */
  register(name: string, report: OpsReport): () => void {
    let unique = name;
    for (let suffix = 2; this.reports.has(unique); suffix++) unique = `${name}-${suffix}`;
    this.reports.set(unique, report);
    return () => {
      if (this.reports.get(unique) === report) this.reports.delete(unique);
    };
  }

  names(): string[] {
    return [...this.reports.keys()].sort();
  }

  get(name: string): OpsReport | undefined {
    return this.reports.get(name);
  }
}

let shared: OpsReports | undefined;

/** The process's reports, created on first use. */
export function processReports(): OpsReports {
  shared ??= new OpsReports();
  return shared;
}

/** The process's OpsReports, in a service's Nest container. */
export const OPS_REPORTS = Symbol('OPS_REPORTS');

/** Provides OPS_REPORTS: `reports` when given (tests), else the process's. */
export function opsReportsProvider(reports?: OpsReports): FactoryProvider<OpsReports> {
  return { provide: OPS_REPORTS, useFactory: () => reports ?? processReports() };
}
