/** What a tool may know about the task it runs. Tools keep no state beyond one call. */
export interface ToolContext {
  /** Aborted when the task's deadline passes, the task is cancelled or the worker shuts down. */
  readonly signal: AbortSignal;
  /** Stable across attempts of one task: apply side effects once per key. */
  readonly idempotencyKey: string;
  readonly goalId: string;
  readonly taskId: string;
  readonly attempt: number;
  /**
   * Adds to the cost this attempt spent (money or tokens, in whatever units the tool converts
   * them to); the Result carries the sum. Non-finite or negative values are ignored.
   */
  reportCost(units: number): void;
}

/** A class whose instances class-validator can validate (a DTO with decorators). */
export type DtoClass<T extends object> = new () => T;

/**
 * A capability a worker offers. Outputs are JSON objects (DTO instances serialise as such). Input and output are class-validator DTO classes: the
 * executor validates input before `execute` (bad input -> `invalid_input`) and output
 * after (a tool breaking its own contract -> `internal`). Expected failures are thrown
 * as `ToolError`s with the right code; anything else thrown is reported as `internal`.
 */
export interface Tool<I extends object = object, O extends object = object> {
  readonly name: string;
  readonly description: string;
  readonly input: DtoClass<I>;
  readonly output: DtoClass<O>;
  /** True when running it twice can do something twice (writes, non-GET requests). */
  readonly sideEffects: boolean;
  execute(input: I, context: ToolContext): Promise<O>;
}
