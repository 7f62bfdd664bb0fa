import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createMemoryStore, MemoryConfig, MemoryStore, memoryStoreOptions, SQLITE_FILE_NAME } from '@agentos/memory';

export type ExistingMemory = { readonly found: true; readonly store: MemoryStore } | { readonly found: false; readonly path: string };

/**
 * Opens the memory store the config names, unless it is an SQLite file that does not exist:
 * opening that would create an empty database (and its folder), which a look must not leave behind.
 */
export async function openExistingMemory(config: MemoryConfig): Promise<ExistingMemory> {
  const options = memoryStoreOptions(config);
  if (!options.databaseUrl) {
    const path = resolve(options.dataDir, SQLITE_FILE_NAME);
    if (!existsSync(path)) return { found: false, path };
  }
  return { found: true, store: await createMemoryStore(options) };
}
