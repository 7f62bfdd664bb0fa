import { LIMITS } from '@agentos/contracts';

/**
 * The cost units one attempt's tool reports through `ToolContext.reportCost`. A report that
 * is not a finite, non-negative number is ignored rather than thrown: a tool's bookkeeping
 * bug must not fail work that was otherwise done.
 */
export class CostMeter {
  private units = 0;

  /** Bound, so a tool may pass `context.reportCost` around detached from the context. */
  readonly report = (units: number): void => {
    if (Number.isFinite(units) && units > 0) this.units += units;
  };

  /** What the Result carries: the total, capped at the contract's limit, or undefined when nothing was spent. */
  get total(): number | undefined {
    return this.units > 0 ? Math.min(this.units, LIMITS.maxResultCost) : undefined;
  }
}
