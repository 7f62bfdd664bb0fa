/** Monotonic time in milliseconds (fractional), for durations. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Items per second over a duration in milliseconds. */
export function perSecond(items: number, durationMs: number): number {
  return durationMs > 0 ? (items * 1000) / durationMs : Number.NaN;
}
