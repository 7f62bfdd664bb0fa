import { Controller, Get, Inject, Logger } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { NamedReadinessStatus } from '../health/readiness-checks';
import { OPS_DEPENDENCIES, OpsDependencies } from './ops-dependencies';

/**
 * GET /health/live: the process answers (its event loop runs), so there is no reason to restart it.
 * GET /health/ready: every readiness check passes (200), else 503 naming each failing check and why.
 */
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Readiness');
  private wasReady: boolean | undefined;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(OPS_DEPENDENCIES) private readonly dependencies: OpsDependencies,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.check('process').up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()) })]);
  }

  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    const statuses = await this.dependencies.readiness.evaluate(this.dependencies.readinessTimeoutMs);
    this.logTransition(statuses);
    return this.health.check(statuses.map((status) => () => this.indicator(status)));
  }

  private indicator({ name, status }: NamedReadinessStatus): HealthIndicatorResult {
    const check = this.indicators.check(name);
    return status.ready ? check.up({ ...status.details }) : check.down({ reason: status.reason ?? 'not ready', ...status.details });
  }

  /** Once per change, not once per probe: Kubernetes asks every few seconds. */
  private logTransition(statuses: readonly NamedReadinessStatus[]): void {
    const failing = statuses.filter(({ status }) => !status.ready);
    const ready = failing.length === 0;
    if (ready === this.wasReady) return;
    const first = this.wasReady === undefined;
    this.wasReady = ready;
    if (!ready) this.logger.warn(`not ready: ${failing.map(({ name, status }) => `${name}: ${status.reason ?? 'not ready'}`).join('; ')}`);
    else if (!first) this.logger.log('ready again');
  }
}
