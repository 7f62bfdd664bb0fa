import { parseBooleanVariable } from '@agentos/runtime';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

export const MEMORY_MODES = ['on', 'off'] as const;
export type MemoryMode = (typeof MEMORY_MODES)[number];

/**
 * How the supervisor uses its semantic memory (see .env.example). Where memory lives is
 * `MemoryConfig` (DATABASE_URL or MEMORY_DATA_DIR); how goals are embedded, `EmbeddingConfig`.
 */
export class SupervisorMemoryConfig {
  /** `on`: record every finished goal and let what was learned shape plans, assignments and recoveries. */
  @IsIn(MEMORY_MODES)
  readonly SUPERVISOR_MEMORY: MemoryMode = 'on';

  /** Reuse the plan of a past succeeded goal with the same normalised text, or the same template, without asking the LLM. */
  @IsBoolean()
  @Transform(parseBooleanVariable)
  readonly SUPERVISOR_MEMORY_PLAN_REUSE: boolean = true;

  /** Past plans of similar goals shown to the planner as examples (0: none). */
  @IsInt()
  @Min(0)
  @Max(10)
  readonly SUPERVISOR_MEMORY_EXAMPLES: number = 3;

  /** Cosine similarity a past goal needs to be shown to the planner as an example. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  readonly SUPERVISOR_MEMORY_MIN_SIMILARITY: number = 0.5;

  /**
   * Recoveries memory must have seen with the policy table's strategy for a failure code and
   * tool before it weighs other strategies against it: until then the table decides alone.
   */
  @IsInt()
  @Min(0)
  @Max(1_000)
  readonly SUPERVISOR_MEMORY_MIN_EVIDENCE: number = 5;

  /** Seed of the explore/exploit draws (Thompson sampling); unset: a random seed per process. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  readonly SUPERVISOR_MEMORY_SEED?: number;

  /** Cost units one thousand LLM tokens count for, next to the cost units tools report. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  readonly SUPERVISOR_MEMORY_LLM_COST_PER_1K_TOKENS: number = 1;

  /**
   * How often the learned statistics are reloaded from the store, where every supervisor instance
   * sharing it records its goals (0: never; each instance then learns from its own goals only).
   */
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  readonly SUPERVISOR_MEMORY_REFRESH_MS: number = 60_000;

  /** Finished goals waiting to be written before the oldest are dropped (the store is down or slow). */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  readonly SUPERVISOR_MEMORY_MAX_PENDING: number = 10_000;
}
