import { IsOptional, IsString, Matches, MinLength, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { isPostgresUrl } from './database-url';
import { DEFAULT_POSTGRES_SCHEMA, POSTGRES_SCHEMA_PATTERN } from './postgres-memory-store';

/** Accepts postgres:// and postgresql:// URLs; the message never shows the value (it may hold a password). */
@ValidatorConstraint({ name: 'postgresUrl' })
class PostgresUrl implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isPostgresUrl(value);
  }

  defaultMessage(): string {
    return 'DATABASE_URL must be a postgres:// or postgresql:// URL (value not shown: it may hold a password)';
  }
}

/**
 * Where memory lives, read from the environment with `loadConfig(MemoryConfig)`: PostgreSQL
 * when `DATABASE_URL` is set, otherwise an SQLite file under `MEMORY_DATA_DIR`.
 */
export class MemoryConfig {
  /** `postgres://user:password@host:5432/database`; a secret: environment only, never logged. */
  @IsOptional()
  @Validate(PostgresUrl)
  readonly DATABASE_URL?: string;

  /** PostgreSQL schema of memory's tables (created on start): deployments sharing a database keep apart by it. */
  @IsString()
  @Matches(POSTGRES_SCHEMA_PATTERN, { message: 'MEMORY_DATABASE_SCHEMA must be a lower-case PostgreSQL identifier: letters, digits and "_", at most 63' })
  readonly MEMORY_DATABASE_SCHEMA: string = DEFAULT_POSTGRES_SCHEMA;

  /** Folder of the embedded store's `memory.sqlite` (created if missing); relative to the working directory. */
  @IsString()
  @MinLength(1)
  readonly MEMORY_DATA_DIR: string = '.agentos/data';
}
