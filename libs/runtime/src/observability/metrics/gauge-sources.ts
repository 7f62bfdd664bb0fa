/**
 * Live objects a gauge reads on scrape (a supervisor's pools, a worker's executor), added and
 * removed with the services that own them. Several at once (services sharing a process) add up.
 */
export class GaugeSources<Source> {
  private readonly sources = new Set<Source>();

  /** Reads `source` on every scrape until the returned function is called. */
  add(source: Source): () => void {
    this.sources.add(source);
    return () => void this.sources.delete(source);
  }

  /** Sums `value(source, key)` over every source offering `key`, then emits each key's total. */
  sum(keys: (source: Source) => Iterable<string>, value: (source: Source, key: string) => number, emit: (key: string, total: number) => void): void {
    const totals = new Map<string, number>();
    for (const source of this.sources) for (const key of keys(source)) totals.set(key, (totals.get(key) ?? 0) + value(source, key));
    for (const [key, total] of totals) emit(key, total);
  }
}
