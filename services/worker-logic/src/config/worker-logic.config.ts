import { IsInt, Max, Min } from 'class-validator';

/** The logic worker's tool limits, from the environment. */
export class WorkerLogicConfig {
  /** Longest a JSONata evaluation may run. */
  @IsInt()
  @Min(1)
  @Max(600_000)
  readonly LOGIC_JSONATA_MAX_EVAL_MS: number = 1_000;

  /** Deepest JSONata evaluation (bounds recursion). */
  @IsInt()
  @Min(10)
  @Max(100_000)
  readonly LOGIC_JSONATA_MAX_DEPTH: number = 500;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  readonly LOGIC_CSV_MAX_ROWS: number = 100_000;

  /** Largest matrix math.evaluate may build. */
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  readonly LOGIC_MATH_MAX_MATRIX_ELEMENTS: number = 1_000_000;
}
