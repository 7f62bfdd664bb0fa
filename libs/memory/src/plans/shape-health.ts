/** How runs of one plan shape went: what decides whether the planner is warned off it. */
export interface ShapeRecord {
  readonly runs: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Runs that needed a new plan after a failure, whatever their end. */
  readonly replanned: number;
}

/** Share of clean runs under which a shape with trouble is flagged to the planner. */
export const CLEAN_RUN_RATE_TO_TRUST = 0.8;

/** Runs that succeeded without a new plan; a replanned run is counted against the succeeded ones (the cautious reading). */
export function cleanRuns(shape: ShapeRecord): number {
  return Math.max(0, shape.succeeded - shape.replanned);
}

/**
 * A shape with a failure history: some of its settled runs (cancelled ones say nothing) failed
 * or needed a new plan, and fewer than 80% of them went through cleanly. The planner sees such
 * shapes flagged; `memory-inspect` shows them.
 */
export function isFailingShape(shape: ShapeRecord): boolean {
  const settled = shape.succeeded + shape.failed;
  const clean = cleanRuns(shape);
  return settled > clean && clean / settled < CLEAN_RUN_RATE_TO_TRUST;
}
