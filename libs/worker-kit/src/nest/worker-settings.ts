import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { parseBooleanVariable } from '@agentos/runtime';

/** Settings every worker instance reads from the environment. */
export class WorkerConfig {
  /** Unique per instance; generated when absent (pods are interchangeable). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_:-]{0,127}$/)
  readonly WORKER_ID?: string;

  /** Most tools this instance runs at once. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  readonly WORKER_CONCURRENCY: number = 16;

  /** Adds the test-only `fault.inject` tool. Never in production pools. */
  @IsBoolean()
  @Transform(parseBooleanVariable)
  readonly WORKER_FAULT_INJECTION: boolean = false;

  /** How often this instance re-announces its capabilities; each announcement stays valid three times as long. */
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  readonly WORKER_ANNOUNCE_INTERVAL_MS: number = 10_000;
}

export interface WorkerSettings {
  readonly workerType: string;
  readonly workerId: string;
  readonly concurrency: number;
  readonly faultInjection: boolean;
  /** Capability announcement period; DEFAULT_ANNOUNCE_INTERVAL_MS when absent. */
  readonly announceIntervalMs?: number;
}

export function workerSettings(workerType: string, config: WorkerConfig): WorkerSettings {
  const generated = `${workerType}-${hostname().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'host'}-${process.pid}-${randomBytes(3).toString('hex')}`;
  return {
    workerType,
    workerId: config.WORKER_ID ?? generated,
    concurrency: config.WORKER_CONCURRENCY,
    faultInjection: config.WORKER_FAULT_INJECTION,
    announceIntervalMs: config.WORKER_ANNOUNCE_INTERVAL_MS,
  };
}
