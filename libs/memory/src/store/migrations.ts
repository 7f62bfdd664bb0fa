import { MemoryStoreError } from './memory-store-error';

/**
 * The memory schema, one versioned list per dialect, side by side so they stay the same
 * logical schema (see libs/memory/README.md). Append new versions; never edit an applied one.
 *
 * Tables: `runs` (one row per goal), `task_outcomes` and `recovery_outcomes` (rows of a run,
 * `ordinal` = recorded order, deleted with their run). Timestamps are epoch milliseconds,
 * embeddings float32 little-endian bytes, plans and error codes JSON. Text keys compare
 * bytewise (PostgreSQL `COLLATE "C"`, SQLite's default BINARY), so both backends sort alike.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** One or more statements, run in the migration's transaction. */
  readonly sql: string;
}

/** PostgreSQL migrations for tables in `schema` (an already quoted identifier). */
export function postgresMigrations(schema: string): readonly Migration[] {
  const text = 'TEXT COLLATE "C" NOT NULL';
  return [
    {
      version: 1,
      name: 'runs, task and recovery outcomes',
      sql: `
        CREATE TABLE ${schema}.runs (
          goal_id          TEXT COLLATE "C" PRIMARY KEY,
          goal_text        TEXT NOT NULL,
          normalized_goal  ${text},
          embedding        BYTEA NOT NULL,
          embedding_model  ${text},
          plan             JSONB NOT NULL,
          plan_shape       ${text},
          status           ${text} CHECK (status IN ('succeeded', 'failed', 'cancelled')),
          started_at       BIGINT NOT NULL,
          finished_at      BIGINT NOT NULL,
          llm_calls        INTEGER NOT NULL,
          llm_tokens       BIGINT NOT NULL,
          cost             DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX runs_normalized_goal_idx ON ${schema}.runs (normalized_goal, finished_at);
        CREATE INDEX runs_plan_shape_idx ON ${schema}.runs (plan_shape);
        CREATE INDEX runs_embedding_model_idx ON ${schema}.runs (embedding_model, finished_at, goal_id);

        CREATE TABLE ${schema}.task_outcomes (
          goal_id      TEXT COLLATE "C" NOT NULL REFERENCES ${schema}.runs (goal_id) ON DELETE CASCADE,
          ordinal      INTEGER NOT NULL,
          task_id      ${text},
          tool         ${text},
          worker_type  ${text},
          status       ${text} CHECK (status IN ('succeeded', 'failed', 'not_run')),
          attempts     INTEGER NOT NULL,
          latency_ms   DOUBLE PRECISION NOT NULL,
          cost         DOUBLE PRECISION NOT NULL,
          error_codes  JSONB NOT NULL,
          PRIMARY KEY (goal_id, ordinal)
        );
        CREATE INDEX task_outcomes_tool_idx ON ${schema}.task_outcomes (tool, worker_type);

        CREATE TABLE ${schema}.recovery_outcomes (
          goal_id       TEXT COLLATE "C" NOT NULL REFERENCES ${schema}.runs (goal_id) ON DELETE CASCADE,
          ordinal       INTEGER NOT NULL,
          task_id       ${text},
          tool          ${text},
          worker_type   ${text},
          failure_code  ${text},
          strategy      ${text} CHECK (strategy IN ('retry', 'retry_subgraph', 'reroute', 'replan', 'fail_goal')),
          recovered     BOOLEAN NOT NULL,
          cost          DOUBLE PRECISION NOT NULL,
          PRIMARY KEY (goal_id, ordinal)
        );
        CREATE INDEX recovery_outcomes_failure_idx ON ${schema}.recovery_outcomes (failure_code, tool, strategy);
      `,
    },
    {
      version: 2,
      name: 'goal template keys',
      sql: `
        ALTER TABLE ${schema}.runs ADD COLUMN goal_template TEXT COLLATE "C" NOT NULL DEFAULT '';
        CREATE INDEX runs_goal_template_idx ON ${schema}.runs (goal_template, finished_at);
      `,
    },
  ];
}

/** SQLite migrations (STRICT tables: a value of the wrong type is an error, as in PostgreSQL). */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, task and recovery outcomes',
    sql: `
      CREATE TABLE runs (
        goal_id          TEXT PRIMARY KEY NOT NULL,
        goal_text        TEXT NOT NULL,
        normalized_goal  TEXT NOT NULL,
        embedding        BLOB NOT NULL,
        embedding_model  TEXT NOT NULL,
        plan             TEXT NOT NULL CHECK (json_valid(plan)),
        plan_shape       TEXT NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'cancelled')),
        started_at       INTEGER NOT NULL,
        finished_at      INTEGER NOT NULL,
        llm_calls        INTEGER NOT NULL,
        llm_tokens       INTEGER NOT NULL,
        cost             REAL NOT NULL
      ) STRICT;
      CREATE INDEX runs_normalized_goal_idx ON runs (normalized_goal, finished_at);
      CREATE INDEX runs_plan_shape_idx ON runs (plan_shape);
      CREATE INDEX runs_embedding_model_idx ON runs (embedding_model, finished_at, goal_id);

      CREATE TABLE task_outcomes (
        goal_id      TEXT NOT NULL REFERENCES runs (goal_id) ON DELETE CASCADE,
        ordinal      INTEGER NOT NULL,
        task_id      TEXT NOT NULL,
        tool         TEXT NOT NULL,
        worker_type  TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'not_run')),
        attempts     INTEGER NOT NULL,
        latency_ms   REAL NOT NULL,
        cost         REAL NOT NULL,
        error_codes  TEXT NOT NULL CHECK (json_valid(error_codes)),
        PRIMARY KEY (goal_id, ordinal)
      ) STRICT;
      CREATE INDEX task_outcomes_tool_idx ON task_outcomes (tool, worker_type);

      CREATE TABLE recovery_outcomes (
        goal_id       TEXT NOT NULL REFERENCES runs (goal_id) ON DELETE CASCADE,
        ordinal       INTEGER NOT NULL,
        task_id       TEXT NOT NULL,
        tool          TEXT NOT NULL,
        worker_type   TEXT NOT NULL,
        failure_code  TEXT NOT NULL,
        strategy      TEXT NOT NULL CHECK (strategy IN ('retry', 'retry_subgraph', 'reroute', 'replan', 'fail_goal')),
        recovered     INTEGER NOT NULL CHECK (recovered IN (0, 1)),
        cost          REAL NOT NULL,
        PRIMARY KEY (goal_id, ordinal)
      ) STRICT;
      CREATE INDEX recovery_outcomes_failure_idx ON recovery_outcomes (failure_code, tool, strategy);
    `,
  },
  {
    version: 2,
    name: 'goal template keys',
    sql: `
      ALTER TABLE runs ADD COLUMN goal_template TEXT NOT NULL DEFAULT '';
      CREATE INDEX runs_goal_template_idx ON runs (goal_template, finished_at);
    `,
  },
];

/** Versions already applied that this build does not know: the database was migrated by a newer build. */
export function unknownVersions(applied: readonly number[], known: readonly Migration[]): number[] {
  const versions = new Set(known.map((migration) => migration.version));
  return applied.filter((version) => !versions.has(version));
}

/** The error for a database migrated by a newer build: this one must not write to it. */
export function newerSchemaError(unknown: readonly number[], where: string): MemoryStoreError {
  return new MemoryStoreError(
    'memory_schema_mismatch',
    `memory database ${where} has schema versions ${unknown.join(', ')} that this build does not know: it was migrated by a newer AgentOS`,
    { versions: [...unknown] },
  );
}
