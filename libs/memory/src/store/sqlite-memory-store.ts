import Database from 'better-sqlite3';
import { MemoryStore, PlanShapeStats, RecoveryStats, RunMemory, StoredEmbedding, ToolStats } from '../memory-records';
import { encodeEmbedding } from './embedding-codec';
import { MemoryStoreError, sqliteErrorCode } from './memory-store-error';
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
import { newerSchemaError, SQLITE_MIGRATIONS, unknownVersions } from './migrations';
import { validateRunMemory } from './run-memory-validation';

export interface SqliteMemoryStoreOptions {
  /** The database file (created if missing; its folder must exist), or `:memory:` for a private in-memory store. */
  readonly path: string;
  /** How long a write waits for another process holding the file's write lock before `memory_unavailable`. */
  readonly busyTimeoutMs?: number;
}

/** SQLite's `sum` compensates rounding (Kahan-Babuska); PostgreSQL's `sum(float8)` does not. This one matches PostgreSQL. */
const PLAIN_SUM = 'agentos_plain_sum';

const AGGREGATES = aggregateQueries({ table: (name) => name, plainSum: PLAIN_SUM, double: 'REAL' });

const RUN_COLUMNS =
  'goal_id, goal_text, normalized_goal, embedding, embedding_model, plan, plan_shape, status, started_at, finished_at, llm_calls, llm_tokens, cost, goal_template';

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  return {
    deleteRun: db.prepare<[string]>('DELETE FROM runs WHERE goal_id = ?'),
    insertRun: db.prepare(`INSERT INTO runs (${RUN_COLUMNS}) VALUES (${RUN_COLUMNS.split(', ').map(() => '?').join(', ')})`),
    insertTask: db.prepare(
      `INSERT INTO task_outcomes (goal_id, ordinal, task_id, tool, worker_type, status, attempts, latency_ms, cost, error_codes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertRecovery: db.prepare(
      `INSERT INTO recovery_outcomes (goal_id, ordinal, task_id, tool, worker_type, failure_code, strategy, recovered, cost)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    run: db.prepare<[string], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE goal_id = ?`),
    tasks: db.prepare<[string], TaskRow>(
      'SELECT task_id, tool, worker_type, status, attempts, latency_ms, cost, error_codes FROM task_outcomes WHERE goal_id = ? ORDER BY ordinal',
    ),
    recoveries: db.prepare<[string], RecoveryRow>(
      'SELECT task_id, tool, worker_type, failure_code, strategy, recovered, cost FROM recovery_outcomes WHERE goal_id = ? ORDER BY ordinal',
    ),
    latestSucceeded: db.prepare<[string], { goal_id: string }>(
      `SELECT goal_id FROM runs WHERE normalized_goal = ? AND status = 'succeeded' ORDER BY finished_at DESC, goal_id DESC LIMIT 1`,
    ),
    latestSucceededByTemplate: db.prepare<[string], { goal_id: string }>(
      `SELECT goal_id FROM runs WHERE goal_template = ? AND status = 'succeeded' ORDER BY finished_at DESC, goal_id DESC LIMIT 1`,
    ),
    embeddings: db.prepare<[string], EmbeddingRow>(
      'SELECT goal_id, embedding_model, embedding, status FROM runs WHERE embedding_model = ? ORDER BY finished_at, goal_id',
    ),
    toolStats: db.prepare<[], ToolStatsRow>(AGGREGATES.toolStats),
    recoveryStats: db.prepare<[], RecoveryStatsRow>(AGGREGATES.recoveryStats),
    planShapes: db.prepare<[], PlanShapeRow>(AGGREGATES.planShapes),
    count: db.prepare<[], { runs: number }>('SELECT COUNT(*) AS runs FROM runs'),
  };
}

/**
 * The embedded memory store: one SQLite file (better-sqlite3), WAL mode so readers never wait
 * for the writer and other processes may share the file. The driver is synchronous; each call
 * runs to completion inside the returned promise's executor, so calls never interleave.
 */
export class SqliteMemoryStore implements MemoryStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private statements: Statements | undefined;
  private closed = false;

  constructor(private readonly options: SqliteMemoryStoreOptions) {
    try {
      this.db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5_000 });
    } catch (error) {
      throw new MemoryStoreError('memory_misconfigured', `cannot open the memory database ${options.path}: ${String(error)}`, { path: options.path }, error);
    }
    try {
      // WAL: concurrent readers, one writer, no reader blocking; NORMAL sync is durable across process crashes in WAL mode.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.db.aggregate(PLAIN_SUM, { start: 0, step: (total: number, value: number) => total + value, deterministic: true });
    } catch (error) {
      this.db.close();
      throw this.wrap('open', error);
    }
  }

  async migrate(): Promise<void> {
    this.call('migrate', () => {
      // IMMEDIATE takes the write lock first: a second process migrating waits, then finds the work done.
      this.db
        .transaction(() => {
          this.db.exec(
            `CREATE TABLE IF NOT EXISTS schema_migrations (
               version INTEGER PRIMARY KEY NOT NULL,
               name TEXT NOT NULL,
               applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
             ) STRICT`,
          );
          const applied = this.db
            .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
            .all()
            .map((row) => row.version);
          const unknown = unknownVersions(applied, SQLITE_MIGRATIONS);
          if (unknown.length > 0) throw newerSchemaError(unknown, this.options.path);
          const record = this.db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
          for (const migration of SQLITE_MIGRATIONS) {
            if (applied.includes(migration.version)) continue;
            this.db.exec(migration.sql);
            record.run(migration.version, migration.name);
          }
        })
        .immediate();
    });
  }

  async recordRun(run: RunMemory): Promise<void> {
    validateRunMemory(run);
    this.call('recordRun', () => {
      const s = this.prepared();
      this.db
        .transaction(() => {
          s.deleteRun.run(run.goalId);
          s.insertRun.run(
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
          );
          // One prepared statement reused in one transaction: SQLite's batch insert (no round trips to save).
          run.tasks.forEach((task, ordinal) =>
            s.insertTask.run(
              run.goalId,
              ordinal,
              task.taskId,
              task.tool,
              task.workerType,
              task.status,
              task.attempts,
              task.latencyMs,
              task.cost,
              JSON.stringify(task.errorCodes),
            ),
          );
          run.recoveries.forEach((recovery, ordinal) =>
            s.insertRecovery.run(
              run.goalId,
              ordinal,
              recovery.taskId,
              recovery.tool,
              recovery.workerType,
              recovery.failureCode,
              recovery.strategy,
              recovery.recovered ? 1 : 0,
              recovery.cost,
            ),
          );
        })
        .immediate();
    });
  }

  async run(goalId: string): Promise<RunMemory | undefined> {
    return this.call('run', () => this.db.transaction(() => this.load(goalId))());
  }

  async latestSucceededByNormalizedGoal(normalizedGoal: string): Promise<RunMemory | undefined> {
    return this.latestSucceeded('latestSucceededByNormalizedGoal', () => this.prepared().latestSucceeded.get(normalizedGoal));
  }

  async latestSucceededByTemplate(goalTemplate: string): Promise<RunMemory | undefined> {
    return this.latestSucceeded('latestSucceededByTemplate', () => this.prepared().latestSucceededByTemplate.get(goalTemplate));
  }

  private latestSucceeded(operation: string, find: () => { goal_id: string } | undefined): RunMemory | undefined {
    return this.call(operation, () =>
      // One read transaction: the run found is the run loaded, whatever other processes write meanwhile.
      this.db.transaction(() => {
        const found = find();
        return found === undefined ? undefined : this.load(found.goal_id);
      })(),
    );
  }

  async embeddings(embeddingModel: string): Promise<StoredEmbedding[]> {
    return this.call('embeddings', () => this.prepared().embeddings.all(embeddingModel).map(embeddingFromRow));
  }

  async toolStats(): Promise<ToolStats[]> {
    return this.call('toolStats', () => this.prepared().toolStats.all().map(toolStatsFromRow));
  }

  async recoveryStats(): Promise<RecoveryStats[]> {
    return this.call('recoveryStats', () => this.prepared().recoveryStats.all().map(recoveryStatsFromRow));
  }

  async planShapes(): Promise<PlanShapeStats[]> {
    return this.call('planShapes', () => this.prepared().planShapes.all().map(planShapeFromRow));
  }

  async count(): Promise<number> {
    return this.call('count', () => this.prepared().count.get()?.runs ?? 0);
  }

  async ping(): Promise<void> {
    this.call('ping', () => this.db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private load(goalId: string): RunMemory | undefined {
    const s = this.prepared();
    const row = s.run.get(goalId);
    return row === undefined ? undefined : runFromRows(row, s.tasks.all(goalId), s.recoveries.all(goalId));
  }

  /** Statements are prepared on first use: before `migrate()` their tables may not exist. */
  private prepared(): Statements {
    this.statements ??= prepareStatements(this.db);
    return this.statements;
  }

  private call<T>(operation: string, work: () => T): T {
    if (this.closed) throw new MemoryStoreError('memory_closed', `memory store ${this.options.path} is closed (${operation})`, { operation });
    try {
      return work();
    } catch (error) {
      throw this.wrap(operation, error);
    }
  }

  private wrap(operation: string, error: unknown): MemoryStoreError {
    if (error instanceof MemoryStoreError) return error;
    const code = sqliteErrorCode(error);
    const hint = code === 'memory_schema_mismatch' ? ' (has migrate() run?)' : '';
    const message = error instanceof Error ? error.message : String(error);
    return new MemoryStoreError(code, `sqlite memory store ${this.options.path}: ${operation} failed: ${message}${hint}`, { operation, path: this.options.path }, error);
  }
}
