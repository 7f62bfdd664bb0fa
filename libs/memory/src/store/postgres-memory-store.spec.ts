import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createMemoryStore } from './create-memory-store';
import { redactDatabaseUrl } from './database-url';
import { MemoryStoreError } from './memory-store-error';
import { describeMemoryStoreContract } from './memory-store.contract';
import { aggregateFixture, sampleRun, task } from './memory-store.fixture';
import { PostgresMemoryStore, PostgresMemoryStoreOptions } from './postgres-memory-store';
import { SqliteMemoryStore } from './sqlite-memory-store';

/**
 * Runs against a real PostgreSQL server: DATABASE_URL, else the local one CI provides. Every
 * target is a schema of its own, named after this run, and all are dropped at the end.
 */
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const RUN = `memtest_${process.pid}_${randomBytes(4).toString('hex')}`;
const schemas: string[] = [];
let admin: Client | undefined;

function newSchema(): string {
  const schema = `${RUN}_${schemas.length}`;
  schemas.push(schema);
  return schema;
}

function openStore(schema: string, extra: Partial<PostgresMemoryStoreOptions> = {}): PostgresMemoryStore {
  return new PostgresMemoryStore({ connectionString: DATABASE_URL, schema, connectionTimeoutMs: 5_000, maxConnections: 4, ...extra });
}

function adminClient(): Client {
  if (!admin) throw new Error('no PostgreSQL connection (see the error of beforeAll)');
  return admin;
}

beforeAll(async () => {
  const client = new Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message || String((error as { code?: unknown }).code) : String(error);
    throw new Error(
      `PostgreSQL is not reachable at ${redactDatabaseUrl(DATABASE_URL)} (${reason}). The memory store tests need a real server: ` +
        'start one on 127.0.0.1:5432 with a database "test" (trust auth for user postgres), or set DATABASE_URL.',
    );
  }
  admin = client;
}, 15_000);

afterAll(async () => {
  if (!admin) return;
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}, 30_000);

describeMemoryStoreContract(
  'postgres',
  async () => {
    const schema = newSchema();
    return { open: () => openStore(schema) };
  },
  { kind: 'postgres', timeoutMs: 20_000 },
);

async function failure(work: () => Promise<unknown>): Promise<MemoryStoreError> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(MemoryStoreError);
    return error as MemoryStoreError;
  }
  throw new Error('expected a MemoryStoreError');
}

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function withCredentials(url: string, user: string, password: string, database?: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  if (database !== undefined) parsed.pathname = `/${database}`;
  return parsed.toString();
}

describe('PostgresMemoryStore', () => {
  const stores: PostgresMemoryStore[] = [];
  const open = (schema: string, extra: Partial<PostgresMemoryStoreOptions> = {}): PostgresMemoryStore => {
    const store = openStore(schema, extra);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('creates its tables in its own schema and lists the applied migrations there', async () => {
    const schema = newSchema();
    await open(schema).migrate();
    const tables = await adminClient().query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(['recovery_outcomes', 'runs', 'schema_migrations', 'task_outcomes']);
    const applied = await adminClient().query(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`);
    expect(applied.rows).toEqual([
      { version: 1, name: 'runs, task and recovery outcomes' },
      { version: 2, name: 'goal template keys' },
    ]);
  });

  it('refuses a schema migrated by a newer build', async () => {
    const schema = newSchema();
    await open(schema).migrate();
    await adminClient().query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (999, 'from the future')`);
    const error = await failure(() => open(schema).migrate());
    expect(error).toMatchObject({ code: 'memory_schema_mismatch', retriable: false, context: { versions: [999] } });
  });

  it('is retriably unavailable when nothing listens, naming the server but never the password', async () => {
    const port = await closedPort();
    const url = withCredentials(`postgres://127.0.0.1:${port}/memory`, 'agentos', 's3cret-Pa55');
    const store = new PostgresMemoryStore({ connectionString: url, schema: newSchema(), connectionTimeoutMs: 5_000 });
    stores.push(store);
    const error = await failure(() => store.migrate());
    expect(error).toMatchObject({ code: 'memory_unavailable', retriable: true });
    expect(error.message).toContain(`postgres://agentos:***@127.0.0.1:${port}/memory`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(`${error.message} ${JSON.stringify(error.context)}`).not.toContain('s3cret-Pa55');
  });

  it('answers ping as unavailable when nothing listens (what readiness reports)', async () => {
    const port = await closedPort();
    const store = new PostgresMemoryStore({ connectionString: `postgres://127.0.0.1:${port}/memory`, schema: newSchema(), connectionTimeoutMs: 5_000 });
    stores.push(store);
    const error = await failure(() => store.ping());
    expect(error).toMatchObject({ code: 'memory_unavailable', retriable: true });
    expect(error.message).toMatch(/ping failed/);
  });

  it.each([
    ['an unknown database', (url: string) => withCredentials(url, new URL(url).username || 'postgres', new URL(url).password, `${RUN}_missing`)],
    ['an unknown user', (url: string) => withCredentials(url, `${RUN}_nobody`, 'hunter2-secret')],
  ])('reports %s as misconfigured, not retriable', async (_name, change) => {
    const store = new PostgresMemoryStore({ connectionString: change(DATABASE_URL), schema: newSchema(), connectionTimeoutMs: 5_000 });
    stores.push(store);
    const error = await failure(() => store.count());
    expect(error).toMatchObject({ code: 'memory_misconfigured', retriable: false });
    expect(error.message).not.toContain('hunter2-secret');
  });

  it('refuses a URL that is not postgres:// and a schema name it cannot splice, without echoing them', () => {
    for (const build of [
      () => new PostgresMemoryStore({ connectionString: 'mysql://root:pw-secret@db/x' }),
      () => new PostgresMemoryStore({ connectionString: DATABASE_URL, schema: 'bad"; DROP SCHEMA public; --' }),
    ]) {
      let caught: unknown;
      try {
        build();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(MemoryStoreError);
      expect(caught).toMatchObject({ code: 'memory_misconfigured' });
      expect((caught as Error).message).not.toContain('pw-secret');
    }
  });

  it('keeps working after the server drops its pooled connections', async () => {
    const applicationName = `${RUN}_dropped`;
    const dropped: MemoryStoreError[] = [];
    let droppedAll: () => void = () => undefined;
    const store = open(newSchema(), { applicationName, onConnectionError: (error) => void (dropped.push(error), droppedAll()) });
    await store.migrate();
    const [first, second] = aggregateFixture();
    await store.recordRun(first!);
    // Two idle connections in the pool.
    await Promise.all([store.count(), store.run(first!.goalId)]);
    const terminated = await adminClient().query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
      [applicationName],
    );
    expect(terminated.rowCount).toBeGreaterThan(0);
    await new Promise<void>((resolve) => {
      droppedAll = () => dropped.length >= terminated.rowCount! && resolve();
      droppedAll();
    });
    expect(dropped.every((error) => error.code === 'memory_unavailable' && error.retriable)).toBe(true);
    expect(await store.count()).toBe(1);
    await store.recordRun(second!);
    expect(await store.run(second!.goalId)).toEqual(second);
  });

  it('is what createMemoryStore opens, migrated, when given a database URL (the data folder untouched)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'agentos-memory-pg-'));
    try {
      const dataDir = join(root, 'data');
      const store = await createMemoryStore({ databaseUrl: DATABASE_URL, dataDir, schema: newSchema() });
      stores.push(store as PostgresMemoryStore);
      expect(store).toBeInstanceOf(PostgresMemoryStore);
      expect(await store.count()).toBe(0);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('returns exactly what the SQLite store returns for the same runs (aggregates to the last bit)', async () => {
    const postgres = open(newSchema());
    const sqlite = new SqliteMemoryStore({ path: ':memory:' });
    try {
      await Promise.all([postgres.migrate(), sqlite.migrate()]);
      // Ten costs of 0.1: a plain sum gives 0.9999999999999999, a compensated one 1.
      const tenths = sampleRun('goal-g', { tasks: Array.from({ length: 10 }, (_value, index) => task(`n${index}`, 'noop', 'logic', 'succeeded', { cost: 0.1, latencyMs: 0.1 })) });
      const fixture = [...aggregateFixture(), tenths];
      for (const run of fixture) await Promise.all([postgres.recordRun(run), sqlite.recordRun(run)]);
      expect(await postgres.toolStats()).toEqual(await sqlite.toolStats());
      expect(await postgres.recoveryStats()).toEqual(await sqlite.recoveryStats());
      expect(await postgres.planShapes()).toEqual(await sqlite.planShapes());
      for (const model of ['local-hash-v1', 'text-embedding-3-small']) expect(await postgres.embeddings(model)).toEqual(await sqlite.embeddings(model));
      for (const run of fixture) expect(await postgres.run(run.goalId)).toEqual(await sqlite.run(run.goalId));
      expect(await postgres.count()).toBe(await sqlite.count());
    } finally {
      await sqlite.close();
    }
  });
});
