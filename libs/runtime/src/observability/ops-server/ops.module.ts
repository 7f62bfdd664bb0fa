import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { OPS_DEPENDENCIES, OpsDependencies } from './ops-dependencies';
import { ReportsController } from './reports.controller';

/** The ops HTTP application: health probes, metrics and the services' reports, nothing else. */
@Module({})
export class OpsModule {
  static forRoot(dependencies: OpsDependencies): DynamicModule {
    return {
      module: OpsModule,
      // Terminus would log every failing probe at ERROR; the controller logs changes instead.
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController, ReportsController],
      providers: [{ provide: OPS_DEPENDENCIES, useValue: dependencies }],
    };
  }
}
