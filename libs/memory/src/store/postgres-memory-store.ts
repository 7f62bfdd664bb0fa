import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Pool, PoolClient, QueryResultRow } from 'pg';
import { MemoryStore, PlanShapeStats, RecoveryStats, RunMemory, StoredEmbedding, ToolStats } from '../memory-records';
import { isPostgresUrl, redactDatabaseUrl } from './database-url';
import { encodeEmbedding } from './embedding-codec';
import { MemoryStoreError, postgresErrorCode } from './memory-store-error';
import {
  aggregateQueries,
  embeddingFromRow,
  EmbeddingRow,
  PlanShapeRow,
  planShapeFromRow,
  RecoveryRow,
  RecoveryStatsRow,
  recoveryStatsFromRow,
  runFromRows,
  RunRow,
  TaskRow,
  ToolStatsRow,
  toolStatsFromRow,
} from './memory-queries';
import { newerSchemaError, postgresMigrations, unknownVersions } from './migrations';
import { validateRunMemory } from './run-memory-validation';

export interface PostgresMemoryStoreOptions {
  /** `postgres://user:password@host:port/database?...`; the password never appears in messages. */
  readonly connectionString: string;
  /** Schema holding the tables, created by `migrate()` if missing. Default `agentos_memory`. */
  readonly schema?: string;
  /** Pool size. Default 10. */
  readonly maxConnections?: number;
  /** How long to wait for a connection (new or from the pool) before `memory_unavailable`. Default 10 s. */
  readonly connectionTimeoutMs?: number;
  /** Shown in `pg_stat_activity`. Default `agentos-memory`. */
  readonly applicationName?: string;
  /**
   * Told when an idle pooled connection fails (server restart, network, `pg_terminate_backend`);
   * the pool drops it and opens a new one when next needed. Default: a warning in the log.
   */
  readonly onConnectionError?: (error: MemoryStoreError) => void;
}

export const DEFAULT_POSTGRES_SCHEMA = 'agentos_memory';
/** Unquoted-safe identifiers only, so the schema can be spliced into SQL. */
export const POSTGRES_SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

const RUN_COLUMNS =
  'goal_id, goal_text, normalized_goal, embedding, embedding_model, plan, plan_shape, status, started_at, finished_at, llm_calls, llm_tokens, cost, goal_template';

/** A 64-bit advisory lock key for a name (pg_advisory_xact_lock takes a bigint). */
function advisoryLockKey(name: string): string {
  return createHash('sha256').update(`agentos-memory:${name}`).digest().readBigInt64BE(0).toString();
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's connection AggregateError has an empty message and the code.
  const code = (error as { code?: unknown }).code;
  return error.message || (typeof code === 'string' ? code : error.name);
}

/**
 * The production memory store: PostgreSQL through a `pg` pool. Writes run in transactions;
 * reads of one run in a repeatable-read transaction, so a concurrent re-record is seen whole
 * or not at all. Migrations take a transaction-scoped advisory lock, so supervisors starting
 * together migrate one after the other.
 */
export class PostgresMemoryStore implements MemoryStore {
  readonly kind = 'postgres';
  private readonly pool: Pool;
  private readonly schema: string;
  private readonly target: string;
  private readonly logger = new Logger(PostgresMemoryStore.name);
  private readonly tables: Readonly<Record<'runs' | 'task_outcomes' | 'recovery_outcomes' | 'schema_migrations', string>>;
  private readonly aggregates: ReturnType<typeof aggregateQueries>;
  private closing: Promise<void> | undefined;
  /** Pooled connections already set up (see withClient). */
  private readonly setUp = new WeakSet<PoolClient>();

  constructor(options: PostgresMemoryStoreOptions) {
    if (!isPostgresUrl(options.connectionString)) {
      // No cause and no value: an unparsable URL may hold the password anywhere.
      throw new MemoryStoreError('memory_misconfigured', 'the memory database URL must be a postgres:// or postgresql:// URL');
    }
    this.schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
    if (!POSTGRES_SCHEMA_PATTERN.test(this.schema)) {
      throw new MemoryStoreError('memory_misconfigured', `memory schema name ${JSON.stringify(this.schema)} must match ${POSTGRES_SCHEMA_PATTERN}`);
    }
    this.target = `${redactDatabaseUrl(options.connectionString)} (schema ${this.schema})`;
    const quoted = `"${this.schema}"`;
    this.tables = {
      runs: `${quoted}.runs`,
      task_outcomes: `${quoted}.task_outcomes`,
      recovery_outcomes: `${quoted}.recovery_outcomes`,
      schema_migrations: `${quoted}.schema_migrations`,
    };
    this.aggregates = aggregateQueries({ table: (name) => this.tables[name], plainSum: 'SUM', double: 'DOUBLE PRECISION' });
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
      application_name: options.applicationName ?? 'agentos-memory',
    });
    // Without a listener an idle connection's failure would crash the process.
    this.pool.on('error', (error) => {
      const wrapped = this.wrap('idle connection', error);
      if (options.onConnectionError) options.onConnectionError(wrapped);
      else this.logger.warn(wrapped.message);
    });
  }

  async migrate(): Promise<void> {
    const { schema, tables } = this;
    await this.transaction('migrate', 'BEGIN', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [advisoryLockKey(`migrate:${schema}`)]);
      // Checked first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists.
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${tables.schema_migrations} (
           version INTEGER PRIMARY KEY,
           name TEXT NOT NULL,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )`,
      );
      const applied = (await client.query<{ version: number }>(`SELECT version FROM ${tables.schema_migrations} ORDER BY version`)).rows.map(
        (row) => row.version,
      );
      const migrations = postgresMigrations(`"${schema}"`);
      const unknown = unknownVersions(applied, migrations);
      if (unknown.length > 0) throw newerSchemaError(unknown, this.target);
      for (const migration of migrations) {
        if (applied.includes(migration.version)) continue;
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${tables.schema_migrations} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      }
    });
  }

  async recordRun(run: RunMemory): Promise<void> {
    validateRunMemory(run);
    const { tables } = this;
    await this.transaction('recordRun', 'BEGIN', async (client) => {
      // Two recorders of one goal take turns; without this the second would hit the primary key.
      await client.query('SELECT pg_advisory_xact_lock($1)', [advisoryLockKey(`run:${this.schema}:${run.goalId}`)]);
      await client.query(`DELETE FROM ${tables.runs} WHERE goal_id = $1`, [run.goalId]);
      await client.query(
        `INSERT INTO ${tables.runs} (${RUN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          run.goalId,
          run.goalText,
          run.normalizedGoal,
          encodeEmbedding(run.embedding),
          run.embeddingModel,
          JSON.stringify(run.plan),
          run.planShape,
          run.status,
          run.startedAt,
          run.finishedAt,
          run.llmCalls,
          run.llmTokens,
          run.cost,
          run.goalTemplate,
        ],
      );
      // One statement per table whatever the run's size: columns as arrays, unnested into rows.
      if (run.tasks.length > 0) {
        const tasks = run.tasks;
        await client.query(
          `INSERT INTO ${tables.task_outcomes} (goal_id, ordinal, task_id, tool, worker_type, status, attempts, latency_ms, cost, error_codes)
           SELECT $1, t.ordinal, t.task_id, t.tool, t.worker_type, t.status, t.attempts, t.latency_ms, t.cost, t.error_codes::jsonb
             FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::float8[], $9::float8[], $10::text[])
                  AS t(ordinal, task_id, tool, worker_type, status, attempts, latency_ms, cost, error_codes)`,
          [
            run.goalId,
            tasks.map((_task, ordinal) => ordinal),
            tasks.map((task) => task.taskId),
            tasks.map((task) => task.tool),
            tasks.map((task) => task.workerType),
            tasks.map((task) => task.status),
            tasks.map((task) => task.attempts),
            tasks.map((task) => task.latencyMs),
            tasks.map((task) => task.cost),
            tasks.map((task) => JSON.stringify(task.errorCodes)),
          ],
        );
      }
      if (run.recoveries.length > 0) {
        const recoveries = run.recoveries;
        await client.query(
          `INSERT INTO ${tables.recovery_outcomes} (goal_id, ordinal, task_id, tool, worker_type, failure_code, strategy, recovered, cost)
           SELECT $1, r.ordinal, r.task_id, r.tool, r.worker_type, r.failure_code, r.strategy, r.recovered, r.cost
             FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::float8[])
                  AS r(ordinal, task_id, tool, worker_type, failure_code, strategy, recovered, cost)`,
          [
            run.goalId,
            recoveries.map((_recovery, ordinal) => ordinal),
            recoveries.map((recovery) => recovery.taskId),
            recoveries.map((recovery) => recovery.tool),
            recoveries.map((recovery) => recovery.workerType),
            recoveries.map((recovery) => recovery.failureCode),
            recoveries.map((recovery) => recovery.strategy),
            recoveries.map((recovery) => recovery.recovered),
            recoveries.map((recovery) => recovery.cost),
          ],
        );
      }
    });
  }

  async run(goalId: string): Promise<RunMemory | undefined> {
    return this.transaction('run', READ_SNAPSHOT, (client) => this.load(client, goalId));
  }

  async latestSucceededByNormalizedGoal(normalizedGoal: string): Promise<RunMemory | undefined> {
    return this.latestSucceeded('latestSucceededByNormalizedGoal', 'normalized_goal', normalizedGoal);
  }

  async latestSucceededByTemplate(goalTemplate: string): Promise<RunMemory | undefined> {
    return this.latestSucceeded('latestSucceededByTemplate', 'goal_template', goalTemplate);
  }

  private latestSucceeded(operation: string, column: 'normalized_goal' | 'goal_template', value: string): Promise<RunMemory | undefined> {
    return this.transaction(operation, READ_SNAPSHOT, async (client) => {
      const found = await client.query<{ goal_id: string }>(
        `SELECT goal_id FROM ${this.tables.runs}
          WHERE ${column} = $1 AND status = 'succeeded'
          ORDER BY finished_at DESC, goal_id DESC LIMIT 1`,
        [value],
      );
      const goalId = found.rows[0]?.goal_id;
      return goalId === undefined ? undefined : this.load(client, goalId);
    });
  }

  async embeddings(embeddingModel: string): Promise<StoredEmbedding[]> {
    const rows = await this.query<EmbeddingRow>(
      'embeddings',
      `SELECT goal_id, embedding_model, embedding, status FROM ${this.tables.runs} WHERE embedding_model = $1 ORDER BY finished_at, goal_id`,
      [embeddingModel],
    );
    return rows.map(embeddingFromRow);
  }

  async toolStats(): Promise<ToolStats[]> {
    return (await this.query<ToolStatsRow>('toolStats', this.aggregates.toolStats)).map(toolStatsFromRow);
  }

  async recoveryStats(): Promise<RecoveryStats[]> {
    return (await this.query<RecoveryStatsRow>('recoveryStats', this.aggregates.recoveryStats)).map(recoveryStatsFromRow);
  }

  async planShapes(): Promise<PlanShapeStats[]> {
    return (await this.query<PlanShapeRow>('planShapes', this.aggregates.planShapes)).map(planShapeFromRow);
  }

  async count(): Promise<number> {
    const rows = await this.query<{ runs: string }>('count', `SELECT COUNT(*) AS runs FROM ${this.tables.runs}`);
    return Number(rows[0]?.runs ?? 0);
  }

  async ping(): Promise<void> {
    await this.query('ping', 'SELECT 1');
  }

  /** Ends the pool once in-flight calls have released their connections. */
  async close(): Promise<void> {
    this.closing ??= this.pool.end();
    await this.closing;
  }

  private async load(client: PoolClient, goalId: string): Promise<RunMemory | undefined> {
    const runs = await client.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${this.tables.runs} WHERE goal_id = $1`, [goalId]);
    const row = runs.rows[0];
    if (row === undefined) return undefined;
    const tasks = await client.query<TaskRow>(
      `SELECT task_id, tool, worker_type, status, attempts, latency_ms, cost, error_codes
         FROM ${this.tables.task_outcomes} WHERE goal_id = $1 ORDER BY ordinal`,
      [goalId],
    );
    const recoveries = await client.query<RecoveryRow>(
      `SELECT task_id, tool, worker_type, failure_code, strategy, recovered, cost
         FROM ${this.tables.recovery_outcomes} WHERE goal_id = $1 ORDER BY ordinal`,
      [goalId],
    );
    return runFromRows(row, tasks.rows, recoveries.rows);
  }

  private async query<R extends QueryResultRow>(operation: string, sql: string, values: unknown[] = []): Promise<R[]> {
    return this.withClient(operation, async (client) => (await client.query<R>(sql, values)).rows);
  }

  /** Runs `work` in a transaction (`begin` opens it) on one pooled connection. */
  private async transaction<T>(operation: string, begin: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(operation, async (client, markBroken) => {
      await client.query(begin);
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => markBroken(rollbackError));
        throw error;
      }
    });
  }

  /**
   * Runs `work` on a pooled connection, set up on first use. A connection that failed (or could
   * not roll back) is destroyed rather than returned to the pool; errors become MemoryStoreErrors.
   */
  private async withClient<T>(operation: string, work: (client: PoolClient, markBroken: (error: Error) => void) => Promise<T>): Promise<T> {
    this.ensureOpen(operation);
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.wrap(operation, error);
    }
    let broken: Error | undefined;
    const markBroken = (error: Error): void => void (broken ??= error);
    // A checked-out connection's failure between queries is emitted as an event; unheard, it would crash the process.
    client.on('error', markBroken);
    try {
      if (!this.setUp.has(client)) {
        // Shortest exact float text whatever the server's default, so doubles come back bit for bit.
        await client.query('SET extra_float_digits = 3');
        this.setUp.add(client);
      }
      return await work(client, markBroken);
    } catch (error) {
      throw this.wrap(operation, error);
    } finally {
      client.off('error', markBroken);
      client.release(broken);
    }
  }

  private ensureOpen(operation: string): void {
    if (this.closing) throw new MemoryStoreError('memory_closed', `memory store ${this.target} is closed (${operation})`, { operation });
  }

  private wrap(operation: string, error: unknown): MemoryStoreError {
    if (error instanceof MemoryStoreError) return error;
    const code = postgresErrorCode(error);
    const hint = code === 'memory_schema_mismatch' ? ' (has migrate() run?)' : '';
    return new MemoryStoreError(code, `postgres memory store ${this.target}: ${operation} failed: ${errorText(error)}${hint}`, { operation, schema: this.schema }, error);
  }
}

/** One snapshot for every statement of the transaction: a run and its rows as of one moment. */
const READ_SNAPSHOT = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
