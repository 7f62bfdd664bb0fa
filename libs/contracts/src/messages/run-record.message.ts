import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { EnvelopeDto } from '../envelope/envelope.dto';
import { Envelope } from '../envelope/envelope';
import { TaskError } from '../errors/task-error';
import { IsBoundedJson } from '../json/is-bounded-json.decorator';
import { JsonValue } from '../json/json-value';
import { ID_PATTERN, LIMITS } from '../limits';
import { TaskGraph } from '../plan/task-graph';
import { TaskGraphDto } from '../plan/task-graph.dto';
import { GoalMessage, GoalMessageDto } from './goal.message';
import { TaskErrorDto } from './result.message';

/**
 * The records of the supervisor's durable run state (compacted topic agentos.runs.v1, keyed by
 * goalId, co-partitioned with goals and results):
 * - `snapshot`: a run from scratch (goal, plan, counters); the progress records after it complete it;
 * - `progress`: what settled in one step: task successes with outputs, failures with the decision;
 * - `finished`: the goal's terminal status (kept, so a goal delivered again is not run twice);
 * - `claim`: a supervisor instance taking over a partition (key `__claim`); records a former
 *   owner writes after it are ignored by every reader (fencing).
 */
export const RUN_RECORD_TYPES = ['snapshot', 'progress', 'finished', 'claim'] as const;
export type RunRecordType = (typeof RUN_RECORD_TYPES)[number];

export const TASK_PROGRESS_STATES = ['succeeded', 'retry', 'failed'] as const;
export type TaskProgressState = (typeof TASK_PROGRESS_STATES)[number];

export const FINISHED_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;
export type FinishedStatus = (typeof FINISHED_STATUSES)[number];

/** Most task entries one progress record carries; a larger step is split across records. */
export const MAX_PROGRESS_ENTRIES = 10_000;

/** How one task attempt settled. */
export interface TaskProgress {
  readonly taskId: string;
  readonly attempt: number;
  readonly state: TaskProgressState;
  /** For `succeeded`. */
  readonly output?: JsonValue;
  /** For `retry` and `failed`: the error and the failure policy's decision. */
  readonly error?: TaskError;
  readonly decision?: string;
}

interface RunRecordBase<T extends RunRecordType> extends Envelope<'run'> {
  readonly record: T;
  /** The supervisor instance that wrote the record. */
  readonly writer: string;
}

export interface RunSnapshotRecord extends RunRecordBase<'snapshot'> {
  readonly goal: GoalMessage;
  /** The plan being run, when it is not the goal's own (made by the planner, or a replan). */
  readonly plan?: TaskGraph;
  /** Epoch ms the run started (the goal's deadline counts from here). */
  readonly startedAt: number;
  readonly maxConcurrency: number;
  readonly replans: number;
  readonly dispatches: number;
  readonly paused: boolean;
}

export interface RunProgressRecord extends RunRecordBase<'progress'> {
  readonly tasks: readonly TaskProgress[];
  readonly dispatches: number;
  readonly paused: boolean;
}

export interface RunFinishedRecord extends RunRecordBase<'finished'> {
  readonly status: FinishedStatus;
}

export interface RunClaimRecord extends RunRecordBase<'claim'> {
  readonly partition: number;
  /** Unique per claim, so the claimant recognises its own record when it reads it back. */
  readonly claimId: string;
}

export type RunRecordMessage = RunSnapshotRecord | RunProgressRecord | RunFinishedRecord | RunClaimRecord;

export class TaskProgressDto implements TaskProgress {
  @IsString()
  @Matches(ID_PATTERN)
  readonly taskId!: string;

  @IsInt()
  @Min(0)
  @Max(LIMITS.maxAttempts)
  readonly attempt!: number;

  @IsIn(TASK_PROGRESS_STATES)
  readonly state!: TaskProgressState;

  @ValidateIf((progress: TaskProgressDto) => progress.state === 'succeeded')
  @IsBoundedJson()
  readonly output?: JsonValue;

  @ValidateIf((progress: TaskProgressDto) => progress.state !== 'succeeded')
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskErrorDto)
  readonly error?: TaskErrorDto;

  @ValidateIf((progress: TaskProgressDto) => progress.state !== 'succeeded')
  @IsString()
  @MaxLength(64)
  readonly decision?: string;
}

const isType = (type: RunRecordType) => (record: RunRecordMessageDto) => record.record === type;
const countsDispatches = (record: RunRecordMessageDto) => record.record === 'snapshot' || record.record === 'progress';

/** One DTO for every record type: the fields of each type are required only for it. */
export class RunRecordMessageDto extends EnvelopeDto<'run'> {
  @Equals('run')
  readonly kind!: 'run';

  @IsIn(RUN_RECORD_TYPES)
  readonly record!: RunRecordType;

  @IsString()
  @Matches(ID_PATTERN)
  readonly writer!: string;

  @ValidateIf(isType('snapshot'))
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => GoalMessageDto)
  readonly goal?: GoalMessageDto;

  @ValidateIf((record: RunRecordMessageDto) => record.record === 'snapshot' && record.plan !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => TaskGraphDto)
  readonly plan?: TaskGraphDto;

  @ValidateIf(isType('snapshot'))
  @IsInt()
  @Min(0)
  readonly startedAt?: number;

  @ValidateIf(isType('snapshot'))
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxGoalConcurrency)
  readonly maxConcurrency?: number;

  @ValidateIf(isType('snapshot'))
  @IsInt()
  @Min(0)
  @Max(1_000)
  readonly replans?: number;

  @ValidateIf(countsDispatches)
  @IsInt()
  @Min(0)
  readonly dispatches?: number;

  @ValidateIf(countsDispatches)
  @IsBoolean()
  readonly paused?: boolean;

  @ValidateIf(isType('progress'))
  @IsArray()
  @ArrayMaxSize(MAX_PROGRESS_ENTRIES)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => TaskProgressDto)
  readonly tasks?: TaskProgressDto[];

  @ValidateIf(isType('finished'))
  @IsIn(FINISHED_STATUSES)
  readonly status?: FinishedStatus;

  @ValidateIf(isType('claim'))
  @IsInt()
  @Min(0)
  @Max(100_000)
  readonly partition?: number;

  @ValidateIf(isType('claim'))
  @IsUUID()
  readonly claimId?: string;
}

/** The key of claim records: one per partition survives compaction. */
export const CLAIM_KEY = '__claim';

/** The envelope goalId of a claim, which concerns a partition rather than a goal. */
export function claimGoalId(partition: number): string {
  return `partition-${partition}`;
}

/** Narrows a decoded run record by its type. */
export function isRunRecord<T extends RunRecordType>(message: RunRecordMessage, type: T): message is Extract<RunRecordMessage, { record: T }> {
  return message.record === type;
}

