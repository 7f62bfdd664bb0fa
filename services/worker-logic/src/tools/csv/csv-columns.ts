import { invalidInput } from '@agentos/worker-kit';

// Rows are plain objects keyed by column name: these names would reach (or, through
// class-transformer and careless merges downstream, corrupt) object prototypes.
const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Column names from a header record: every one present, distinct and not a prototype key. */
export function headerColumns(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  header.forEach((name, index) => {
    const position = index + 1;
    if (name === '') throw invalidInput(`header column ${position} has no name`, { column: position });
    if (RESERVED_NAMES.has(name)) {
      throw invalidInput(`header column ${position} is named "${name}", which is reserved; rename it or parse with header: false`, {
        column: position,
        name,
      });
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw invalidInput(`header columns ${earlier} and ${position} are both named "${name}"`, { column: position, name });
    }
    seen.set(name, position);
  });
  return [...header];
}

/** Names for a file without a header: `col1`..`colN`. */
export function generatedColumns(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `col${index + 1}`);
}
