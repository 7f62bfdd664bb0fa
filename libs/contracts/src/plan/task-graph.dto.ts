import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsBoundedJson } from '../json/is-bounded-json.decorator';
import { JsonObject } from '../json/json-value';
import { ID_PATTERN, LIMITS, TOOL_NAME_PATTERN, WORKER_TYPE_PATTERN } from '../limits';
import { TaskGraph, TaskNode } from './task-graph';

export class TaskNodeDto implements TaskNode {
  @IsString()
  @Matches(ID_PATTERN)
  readonly id!: string;

  @IsString()
  @Matches(WORKER_TYPE_PATTERN)
  readonly workerType!: string;

  @IsString()
  @Matches(TOOL_NAME_PATTERN)
  readonly tool!: string;

  @IsOptional()
  @IsBoundedJson({ objectOnly: true })
  readonly input?: JsonObject;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.maxDependenciesPerTask)
  @IsString({ each: true })
  @Matches(ID_PATTERN, { each: true })
  readonly dependsOn?: string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxTaskTimeoutMs)
  readonly timeoutMs?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxAttempts)
  readonly maxAttempts?: number;
}

export class TaskGraphDto implements TaskGraph {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.maxTasksPerGraph)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => TaskNodeDto)
  readonly tasks!: TaskNodeDto[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.maxOutputsPerGraph)
  @Matches(ID_PATTERN, { each: true })
  readonly outputs?: string[];
}
