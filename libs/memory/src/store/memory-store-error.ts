import { AgentOsError } from '@agentos/runtime';

/**
 * What went wrong in a memory store, by what the caller can do about it. String codes, so the
 * answer survives a process boundary; `retriable` says whether the same call may succeed later.
 */
export const MEMORY_STORE_ERROR_CODES = [
  /** The database could not be reached or dropped the connection, or is overloaded: try again later. */
  'memory_unavailable',
  /** A concurrent transaction won (serialization failure, deadlock): try again now. */
  'memory_conflict',
  /** The connection settings are wrong (bad URL, unknown database, authentication, permissions, unusable path). */
  'memory_misconfigured',
  /** The stored schema is not what this build expects (not migrated, or migrated by a newer build). */
  'memory_schema_mismatch',
  /** The run to record breaks the record's rules; nothing was written. */
  'memory_invalid_record',
  /** The store was closed. */
  'memory_closed',
  /** Anything else the database refused, or stored data that does not decode. */
  'memory_failed',
] as const;
export type MemoryStoreErrorCode = (typeof MEMORY_STORE_ERROR_CODES)[number];

const RETRIABLE: Readonly<Record<MemoryStoreErrorCode, boolean>> = {
  memory_unavailable: true,
  memory_conflict: true,
  memory_misconfigured: false,
  memory_schema_mismatch: false,
  memory_invalid_record: false,
  memory_closed: false,
  memory_failed: false,
};

/** Every failure of a `MemoryStore`. Messages name the database with its password redacted, never the secret. */
export class MemoryStoreError extends AgentOsError {
  declare readonly code: MemoryStoreErrorCode;

  constructor(code: MemoryStoreErrorCode, message: string, context: Record<string, unknown> = {}, cause?: unknown) {
    super(code, message, RETRIABLE[code], context, cause === undefined ? undefined : { cause });
  }
}

export function isMemoryStoreError(error: unknown): error is MemoryStoreError {
  return error instanceof MemoryStoreError;
}

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** Messages node-postgres throws without a code when a connection ends or never comes. */
const PG_CONNECTION_MESSAGES = /connection terminated|timeout exceeded when trying to connect|connection timeout|client has encountered a connection error|not queryable/i;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Classifies a node-postgres or network error by SQLSTATE class (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export function postgresErrorCode(error: unknown): MemoryStoreErrorCode {
  if (error instanceof MemoryStoreError) return error.code;
  const code = codeOf(error);
  if (code !== undefined) {
    if (TRANSIENT_NETWORK_CODES.has(code)) return 'memory_unavailable';
    // 08 connection exception, 53 insufficient resources, 57P01-57P05 shutdown / cannot connect now.
    if (code.startsWith('08') || code.startsWith('53') || /^57P0[1-5]$/.test(code) || code === '57014') return 'memory_unavailable';
    if (code === '40001' || code === '40P01' || code === '55P03') return 'memory_conflict';
    // 28 invalid authorization, 3D000 unknown database, 42501 insufficient privilege.
    if (code.startsWith('28') || code === '3D000' || code === '42501') return 'memory_misconfigured';
    // 3F000 unknown schema, 42P01 undefined table, 42703 undefined column: not migrated, or not by this build.
    if (code === '3F000' || code === '42P01' || code === '42703') return 'memory_schema_mismatch';
    return 'memory_failed';
  }
  if (/Cannot use a pool after calling end/i.test(messageOf(error))) return 'memory_closed';
  if (PG_CONNECTION_MESSAGES.test(messageOf(error))) return 'memory_unavailable';
  return 'memory_failed';
}

/** Classifies a better-sqlite3 error by its result code (https://www.sqlite.org/rescode.html). */
export function sqliteErrorCode(error: unknown): MemoryStoreErrorCode {
  if (error instanceof MemoryStoreError) return error.code;
  const code = codeOf(error) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'memory_unavailable';
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL' || code === 'SQLITE_PROTOCOL') return 'memory_unavailable';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code === 'SQLITE_AUTH') {
    return 'memory_misconfigured';
  }
  if (code === 'SQLITE_ERROR' && /no such (table|column)/i.test(messageOf(error))) return 'memory_schema_mismatch';
  if (/database connection is not open/i.test(messageOf(error))) return 'memory_closed';
  return 'memory_failed';
}
