/** The most intervals open at one instant; an interval ending exactly when another starts does not overlap it. */
export function maxOverlap(intervals: ReadonlyArray<{ start: number; end: number }>): number {
  const edges = intervals.flatMap(({ start, end }) => [
    { at: start, delta: 1 },
    { at: end, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let peak = 0;
  for (const edge of edges) {
    open += edge.delta;
    peak = Math.max(peak, open);
  }
  return peak;
}
