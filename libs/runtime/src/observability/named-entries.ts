/**
 * Entries registered under a name while their owner runs (readiness checks, ops reports). A name
 * already taken (two services of one kind in a process) gets a numbered suffix, so neither
 * hides the other; the returned function removes the entry again.
 */
export class NamedEntries<T> {
  private readonly entries = new Map<string, T>();

  register(name: string, entry: T): () => void {
    let unique = name;
    for (let suffix = 2; this.entries.has(unique); suffix++) unique = `${name}-${suffix}`;
    this.entries.set(unique, entry);
    return () => {
      if (this.entries.get(unique) === entry) this.entries.delete(unique);
    };
  }

  get(name: string): T | undefined {
    return this.entries.get(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  all(): IterableIterator<[string, T]> {
    return this.entries.entries();
  }
}
