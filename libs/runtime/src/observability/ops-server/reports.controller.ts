import { Controller, Get, Header, Inject, NotFoundException, Param, ServiceUnavailableException } from '@nestjs/common';
import { withTimeout } from '../health/with-timeout';
import { OPS_DEPENDENCIES, OpsDependencies } from './ops-dependencies';

/** How long a report may take (it may read a database) before the route answers 503. */
const REPORT_TIMEOUT_MS = 10_000;

/** GET /reports: the names; GET /reports/:name: one report as JSON (e.g. the supervisor's `memory`). */
@Controller('reports')
export class ReportsController {
  constructor(@Inject(OPS_DEPENDENCIES) private readonly dependencies: OpsDependencies) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  list(): { reports: string[] } {
    return { reports: this.dependencies.reports?.names() ?? [] };
  }

  @Get(':name')
  @Header('Cache-Control', 'no-store')
  async report(@Param('name') name: string): Promise<object> {
    const report = this.dependencies.reports?.get(name);
    if (!report) throw new NotFoundException(`no report "${name}"; known: ${this.dependencies.reports?.names().join(', ') || 'none'}`);
    try {
      return await withTimeout(report(), REPORT_TIMEOUT_MS, `report ${name}`);
    } catch (error) {
      throw new ServiceUnavailableException(`report ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
