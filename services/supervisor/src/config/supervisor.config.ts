import { Transform } from 'class-transformer';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ID_PATTERN, RUNS_MIN_COMPACTION_LAG_MS } from '@agentos/contracts';
import { parseBooleanVariable } from '@agentos/runtime';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { policyTableFrom } from '../policy/policy-table';

@ValidatorConstraint({ name: 'policyTable' })
class PolicyTableOverrides implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown): boolean {
    const table = typeof value === 'string' ? policyTableFrom(value) : 'SUPERVISOR_FAILURE_POLICY must be a JSON string';
    this.problem = typeof table === 'string' ? table : '';
    return this.problem === '';
  }

  defaultMessage(): string {
    return this.problem;
  }
}

export const RUN_JOURNAL_MODES = ['auto', 'on', 'off'] as const;
export type RunJournalMode = (typeof RUN_JOURNAL_MODES)[number];

export const TASK_EVENT_LEVELS = ['all', 'failures', 'none'] as const;
export type TaskEventLevel = (typeof TASK_EVENT_LEVELS)[number];

/** The supervisor's tunables, read from the environment (see .env.example). */
export class SupervisorConfig {
  /** Timeout of a task whose plan gives none. */
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  readonly SUPERVISOR_TASK_TIMEOUT_MS: number = 30_000;

  /** How long past a task's timeout the supervisor waits for its result before calling it a timeout. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  readonly SUPERVISOR_DEADLINE_GRACE_MS: number = 2_000;

  /** Attempts per task (first run included) where the plan gives none. */
  @IsInt()
  @Min(1)
  @Max(100)
  readonly SUPERVISOR_MAX_ATTEMPTS: number = 3;

  @IsInt()
  @Min(1)
  @Max(600_000)
  readonly SUPERVISOR_RETRY_BASE_MS: number = 200;

  @IsInt()
  @Min(1)
  @Max(3_600_000)
  readonly SUPERVISOR_RETRY_MAX_MS: number = 10_000;

  /** Tasks of one goal in flight at once, unless the goal asks for fewer. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  readonly SUPERVISOR_GOAL_CONCURRENCY: number = 256;

  /** Tasks in flight per worker type, across all goals. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  readonly SUPERVISOR_POOL_CONCURRENCY: number = 1_024;

  /**
   * Which per-task events to publish (goal events always are): `all` (dispatched, succeeded,
   * failed, retry scheduled), `failures` (failed and retry scheduled only: half the records per
   * task on a busy cluster), or `none`. Goal results carry latency percentiles either way.
   */
  @IsIn(TASK_EVENT_LEVELS)
  readonly SUPERVISOR_TASK_EVENTS: TaskEventLevel = 'all';

  /** Results handled concurrently. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  readonly SUPERVISOR_MAX_IN_FLIGHT: number = 1_024;

  /**
   * Overrides of the failure policy table, as JSON: error code -> retry | replan | fail, e.g.
   * `{"internal":"retry"}`. Defaults: timeout, transient, rate_limited -> retry; logic_error,
   * invalid_input, tool_not_found -> replan; cancelled, internal -> fail.
   */
  @IsOptional()
  @Validate(PolicyTableOverrides)
  readonly SUPERVISOR_FAILURE_POLICY?: string;

  /** New plans a goal may get after failures the policy answers with `replan`. */
  @IsInt()
  @Min(0)
  @Max(20)
  readonly SUPERVISOR_MAX_REPLANS: number = 2;

  /** How long a goal waits for worker types its plan needs that have not announced themselves yet. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  readonly SUPERVISOR_CAPABILITY_WAIT_MS: number = 10_000;

  /** Ask the LLM for a short summary of each succeeded goal's result (needs LLM_MODEL). */
  @IsBoolean()
  @Transform(parseBooleanVariable)
  readonly SUPERVISOR_SUMMARIZE: boolean = false;

  /** This instance's name in the runs journal (who claimed a partition, who wrote a record); unique per process by default. */
  @IsString()
  @Matches(ID_PATTERN, { message: 'SUPERVISOR_INSTANCE_ID must be 1-128 letters, digits, "_", ":" or "-", starting with a letter or digit' })
  readonly SUPERVISOR_INSTANCE_ID: string = defaultInstanceId();

  /**
   * Durable run state on the compacted runs topic, restored by whichever instance takes a goal
   * partition over: `auto` (on Kafka; off on the in-process bus, where nothing outlives the
   * process anyway), `on` or `off`.
   */
  @IsIn(RUN_JOURNAL_MODES)
  readonly SUPERVISOR_RUN_JOURNAL: RunJournalMode = 'auto';

  /** Longest a running goal goes without a fresh snapshot in the journal; well under the runs topic's compaction lag. */
  @IsInt()
  @Min(1_000)
  @Max(RUNS_MIN_COMPACTION_LAG_MS / 2)
  readonly SUPERVISOR_CHECKPOINT_MS: number = 3_600_000;
}

function defaultInstanceId(): string {
  const host = hostname().replace(/[^A-Za-z0-9_:-]/g, '-').slice(0, 64) || 'supervisor';
  return `supervisor-${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
