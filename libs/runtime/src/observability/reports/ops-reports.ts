import { FactoryProvider } from '@nestjs/common';
import { NamedEntries } from '../named-entries';

/** Produces one report on request, sent as JSON (it may read a database: the route bounds it). */
export type OpsReport = () => Promise<object>;

/**
 * Named JSON reports a service offers operators on its ops server, at GET /reports/<name>
 * (the supervisor offers `memory`: what its memory has learned). Registered while a service runs.
 */
export class OpsReports {
  private readonly reports = new NamedEntries<OpsReport>();

  /** Adds a report until the returned function is called; a name already taken gets a numbered suffix. */
  register(name: string, report: OpsReport): () => void {
    return this.reports.register(name, report);
  }

  names(): string[] {
    return this.reports.names().sort();
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
