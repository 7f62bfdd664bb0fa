/** The median item by `value` (the lower middle one for an even count): the round a report shows. */
export function medianBy<T>(items: readonly T[], value: (item: T) => number): T {
  if (items.length === 0) throw new Error('no rounds to take the median of');
  return [...items].sort((a, b) => value(a) - value(b))[Math.floor((items.length - 1) / 2)]!;
}

/** Runs `round` `count` times in sequence. */
export async function repeat<T>(count: number, round: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i++) results.push(await round(i));
  return results;
}
