import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeEmbedding } from './embedding-codec';
import { MemoryStoreError } from './memory-store-error';
import { SQLITE_MIGRATIONS } from './migrations';
import { describeMemoryStoreContract } from './memory-store.contract';
import { aggregateFixture, sampleRun } from './memory-store.fixture';
import { SqliteMemoryStore } from './sqlite-memory-store';

const root = mkdtempSync(join(tmpdir(), 'agentos-memory-sqlite-'));
let files = 0;
const newPath = (): string => join(root, `memory-${++files}.sqlite`);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describeMemoryStoreContract(
  'sqlite',
  async () => {
    const path = newPath();
    return { open: () => new SqliteMemoryStore({ path }) };
  },
  { kind: 'sqlite', timeoutMs: 10_000 },
);

async function failure(work: () => unknown): Promise<MemoryStoreError> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(MemoryStoreError);
    return error as MemoryStoreError;
  }
  throw new Error('expected a MemoryStoreError');
}

describe('SqliteMemoryStore', () => {
  const stores: SqliteMemoryStore[] = [];
  const open = (path: string, busyTimeoutMs?: number): SqliteMemoryStore => {
    const store = new SqliteMemoryStore({ path, busyTimeoutMs });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('keeps a file in WAL mode and lists the applied migrations', async () => {
    const path = newPath();
    await open(path).migrate();
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
        { version: 1, name: 'runs, task and recovery outcomes' },
        { version: 2, name: 'goal template keys' },
      ]);
      expect(raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all()).toEqual([
        'recovery_outcomes',
        'runs',
        'schema_migrations',
        'task_outcomes',
      ]);
    } finally {
      raw.close();
    }
  });

  it('upgrades a database of schema version 1: its runs keep everything and get an empty template key', async () => {
    const path = newPath();
    const old = new Database(path);
    old.exec(SQLITE_MIGRATIONS[0]!.sql);
    old.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT '') STRICT`);
    old.prepare('INSERT INTO schema_migrations (version, name) VALUES (1, ?)').run(SQLITE_MIGRATIONS[0]!.name);
    const run = sampleRun('goal-v1', { tasks: [] });
    old
      .prepare(
        `INSERT INTO runs (goal_id, goal_text, normalized_goal, embedding, embedding_model, plan, plan_shape, status, started_at, finished_at, llm_calls, llm_tokens, cost)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(run.goalId, run.goalText, run.normalizedGoal, encodeEmbedding(run.embedding), run.embeddingModel, JSON.stringify(run.plan), run.planShape, run.status, run.startedAt, run.finishedAt, run.llmCalls, run.llmTokens, run.cost);
    old.close();

    const store = open(path);
    await store.migrate();
    expect(await store.run('goal-v1')).toEqual({ ...run, goalTemplate: '' });
    await store.recordRun(sampleRun('goal-v2', { goalTemplate: 'sum ⟨0⟩' }));
    expect((await store.latestSucceededByTemplate('sum ⟨0⟩'))?.goalId).toBe('goal-v2');
  });

  it('works entirely in memory with :memory:', async () => {
    const store = open(':memory:');
    await store.migrate();
    const run = aggregateFixture()[4]!;
    await store.recordRun(run);
    expect(await store.run(run.goalId)).toEqual(run);
    expect(await store.count()).toBe(1);
  });

  it('refuses a database migrated by a newer build, and leaves it alone', async () => {
    const path = newPath();
    await open(path).migrate();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_migrations (version, name) VALUES (999, ?)').run('from the future');
    raw.close();
    const error = await failure(() => open(path).migrate());
    expect(error).toMatchObject({ code: 'memory_schema_mismatch', retriable: false, context: { versions: [999] } });
    expect(error.message).toMatch(/versions 999 .*newer AgentOS/);
  });

  it('deletes the rows of a run with it (foreign keys are on)', async () => {
    const path = newPath();
    const store = open(path);
    await store.migrate();
    const [first, second] = aggregateFixture();
    await store.recordRun(first!);
    await store.recordRun({ ...second!, goalId: first!.goalId });
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.prepare('SELECT COUNT(*) FROM task_outcomes').pluck().get()).toBe(second!.tasks.length);
      expect(raw.prepare('SELECT COUNT(*) FROM recovery_outcomes').pluck().get()).toBe(second!.recoveries.length);
    } finally {
      raw.close();
    }
  });

  it('reports a path it cannot open as memory_misconfigured', async () => {
    const error = await failure(() => open(join(root, 'no-such-folder', 'memory.sqlite')));
    expect(error).toMatchObject({ code: 'memory_misconfigured', retriable: false });
    expect(error.message).toContain('no-such-folder');
  });

  it('reports a file that is not a database as memory_failed', async () => {
    const path = newPath();
    writeFileSync(path, 'this is not a database, just text that is long enough to be read as a header page'.repeat(20));
    const error = await failure(async () => {
      const store = open(path);
      await store.migrate();
    });
    expect(error).toMatchObject({ code: 'memory_failed', retriable: false });
  });

  it('waits for a writer holding the file only busyTimeoutMs, then is retriably unavailable', async () => {
    const path = newPath();
    const store = open(path, 50);
    await store.migrate();
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const error = await failure(() => store.recordRun(sampleRun('goal-1')));
      expect(error).toMatchObject({ code: 'memory_unavailable', retriable: true });
      // Readers are not blocked by the writer (WAL).
      expect(await store.count()).toBe(0);
      other.exec('ROLLBACK');
      await store.recordRun(sampleRun('goal-1'));
      expect(await store.count()).toBe(1);
    } finally {
      other.close();
    }
  });
});
