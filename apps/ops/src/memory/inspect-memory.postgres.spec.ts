import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createMemoryStore, MemoryStore } from '@agentos/memory';
import { inspectMemory } from '@agentos/memory';
import { seededRuns, temporarySqliteMemory } from './memory-report.fixture';

/** A real PostgreSQL server: DATABASE_URL, else the local one CI provides; a schema of its own, dropped after. */
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

describe('inspectMemory on PostgreSQL', () => {
  const schema = `ops_inspect_${process.pid}_${randomBytes(4).toString('hex')}`;
  const unusedDataDir = mkdtempSync(join(tmpdir(), 'agentos-ops-pg-'));
  let postgres: MemoryStore | undefined;

  afterAll(async () => {
    await postgres?.close();
    const admin = new Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5_000 });
    await admin.connect();
    try {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.end();
    }
    rmSync(unusedDataDir, { recursive: true, force: true });
  }, 30_000);

  it('gives the same report as SQLite for the same runs', async () => {
    postgres = await createMemoryStore({ databaseUrl: DATABASE_URL, dataDir: unusedDataDir, schema });
    for (const run of seededRuns()) await postgres.recordRun(run);
    const sqlite = await temporarySqliteMemory(seededRuns());
    try {
      const fromPostgres = await inspectMemory(postgres, { planLimit: 3 });
      const fromSqlite = await inspectMemory(sqlite.store, { planLimit: 3 });
      expect(fromPostgres.store).toBe('postgres');
      expect({ ...fromPostgres, store: 'sqlite' }).toEqual(fromSqlite);
      expect(fromPostgres.runs).toBe(8);
    } finally {
      await sqlite.remove();
    }
  }, 30_000);
});
