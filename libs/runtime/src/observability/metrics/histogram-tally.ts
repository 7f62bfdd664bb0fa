/**
 * Upper bounds (seconds) for task durations: a noop on the in-process bus takes microseconds,
 * an LLM call or a large fetch tens of seconds.
 */
export const TASK_DURATION_BUCKETS_SECONDS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * One histogram series as plain numbers: per-bucket counts (not cumulative), sum and count.
 * `observe` allocates nothing; the exporter turns it into Prometheus buckets on scrape.
 */
export class HistogramTally {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    this.sum += value;
    this.count++;
    const bounds = this.bounds;
    for (let index = 0; index < bounds.length; index++) {
      if (value <= bounds[index]!) {
        this.counts[index]!++;
        return;
      }
    }
    // Above the last bound: only in +Inf, which is `count`.
  }
}
