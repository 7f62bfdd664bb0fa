import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MemoryStore } from '../memory-records';
import { MemoryStoreError } from './memory-store-error';
import { MemoryConfig } from './memory.config';
import { PostgresMemoryStore } from './postgres-memory-store';
import { SqliteMemoryStore } from './sqlite-memory-store';

export interface CreateMemoryStoreOptions {
  /** PostgreSQL when given (postgres:// or postgresql://), else SQLite under `dataDir`. */
  readonly databaseUrl?: string;
  /** Folder of the SQLite file `memory.sqlite`; created if missing. */
  readonly dataDir: string;
  /** PostgreSQL schema (default `agentos_memory`). */
  readonly schema?: string;
}

/** The SQLite file `createMemoryStore` uses under a data folder. */
export const SQLITE_FILE_NAME = 'memory.sqlite';

/** Options from a loaded `MemoryConfig`. */
export function memoryStoreOptions(config: MemoryConfig): CreateMemoryStoreOptions {
  return { databaseUrl: config.DATABASE_URL, dataDir: config.MEMORY_DATA_DIR, schema: config.MEMORY_DATABASE_SCHEMA };
}

/**
 * Opens the memory store the options call for and migrates it: PostgreSQL when a database URL
 * is given, else the embedded SQLite file `<dataDir>/memory.sqlite`. Closes it again if the
 * migration fails, so a failed start leaks no connections.
 */
export async function createMemoryStore(options: CreateMemoryStoreOptions): Promise<MemoryStore> {
  const store = options.databaseUrl ? new PostgresMemoryStore({ connectionString: options.databaseUrl, schema: options.schema }) : openSqlite(options.dataDir);
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

function openSqlite(dataDir: string): SqliteMemoryStore {
  const folder = resolve(dataDir);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new MemoryStoreError('memory_misconfigured', `cannot create the memory data folder ${folder}: ${String(error)}`, { dataDir: folder }, error);
  }
  return new SqliteMemoryStore({ path: join(folder, SQLITE_FILE_NAME) });
}
