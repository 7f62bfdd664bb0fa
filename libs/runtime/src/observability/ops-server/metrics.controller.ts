import { Controller, Get, Header, Inject } from '@nestjs/common';
import { prometheusContentType } from 'prom-client';
import { OPS_DEPENDENCIES, OpsDependencies } from './ops-dependencies';

/** GET /metrics: every metric of the process, in the Prometheus text format. */
@Controller()
export class MetricsController {
  constructor(@Inject(OPS_DEPENDENCIES) private readonly dependencies: OpsDependencies) {}

  @Get('metrics')
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return this.dependencies.metrics.text();
  }
}
