import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { EnvelopeDto } from '../envelope/envelope.dto';
import { Envelope } from '../envelope/envelope';
import { IsBoundedJson } from '../json/is-bounded-json.decorator';
import { JsonObject } from '../json/json-value';
import { ID_PATTERN, LIMITS, TOOL_NAME_PATTERN, WORKER_TYPE_PATTERN } from '../limits';
import { ANY_GOAL } from './control.message';

/** One tool as a worker offers it: what a planner needs to call it. */
export interface ToolCapability {
  readonly name: string;
  readonly description: string;
  /** True when running it twice can do something twice. */
  readonly sideEffects: boolean;
  /** Draft-07 JSON Schema of the tool's input. */
  readonly inputSchema: JsonObject;
  /** Draft-07 JSON Schema of the tool's output. */
  readonly outputSchema: JsonObject;
}

/**
 * A worker instance's announcement of what it offers, published on start-up and renewed well
 * before `ttlMs` runs out. Keyed by workerId on a compacted topic, so a reader from the start
 * sees each instance's latest announcement. `goalId` is ANY_GOAL: it concerns no goal.
 */
export interface CapabilitiesMessage extends Envelope<'capabilities'> {
  readonly workerType: string;
  readonly workerId: string;
  /** Tools this instance runs at once. */
  readonly concurrency: number;
  /** How long after `createdAt` the announcement stays valid unless renewed. */
  readonly ttlMs: number;
  readonly tools: readonly ToolCapability[];
}

export class ToolCapabilityDto implements ToolCapability {
  @IsString()
  @Matches(TOOL_NAME_PATTERN)
  readonly name!: string;

  @IsString()
  @Length(1, LIMITS.maxToolDescriptionLength)
  readonly description!: string;

  @IsBoolean()
  readonly sideEffects!: boolean;

  @IsBoundedJson({ objectOnly: true })
  readonly inputSchema!: JsonObject;

  @IsBoundedJson({ objectOnly: true })
  readonly outputSchema!: JsonObject;
}

export class CapabilitiesMessageDto extends EnvelopeDto<'capabilities'> implements CapabilitiesMessage {
  @Equals('capabilities')
  readonly kind!: 'capabilities';

  /** Replaces the envelope's rule: an announcement belongs to no goal. */
  @IsString()
  @Equals(ANY_GOAL)
  override readonly goalId!: string;

  @IsString()
  @Matches(WORKER_TYPE_PATTERN)
  readonly workerType!: string;

  @IsString()
  @Matches(ID_PATTERN)
  readonly workerId!: string;

  @IsInt()
  @Min(1)
  @Max(LIMITS.maxWorkerConcurrency)
  readonly concurrency!: number;

  @IsInt()
  @Min(1)
  @Max(LIMITS.maxCapabilityTtlMs)
  readonly ttlMs!: number;

  @IsArray()
  @ArrayMaxSize(LIMITS.maxToolsPerWorker)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ToolCapabilityDto)
  readonly tools!: ToolCapabilityDto[];
}
