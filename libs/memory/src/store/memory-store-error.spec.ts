import { MemoryStoreError, MemoryStoreErrorCode, postgresErrorCode, sqliteErrorCode } from './memory-store-error';

const withCode = (code: string, message = 'failed'): Error => Object.assign(new Error(message), { code });

describe('postgresErrorCode', () => {
  it.each<[string, Error, MemoryStoreErrorCode]>([
    ['connection refused', withCode('ECONNREFUSED'), 'memory_unavailable'],
    ['connection reset', withCode('ECONNRESET'), 'memory_unavailable'],
    ['admin shutdown (pg_terminate_backend)', withCode('57P01'), 'memory_unavailable'],
    ['cannot connect now (starting up)', withCode('57P03'), 'memory_unavailable'],
    ['too many connections', withCode('53300'), 'memory_unavailable'],
    ['connection failure', withCode('08006'), 'memory_unavailable'],
    ['statement timeout', withCode('57014'), 'memory_unavailable'],
    ['a dropped connection without a code', new Error('Connection terminated unexpectedly'), 'memory_unavailable'],
    ['a pool timeout', new Error('timeout exceeded when trying to connect'), 'memory_unavailable'],
    ['serialization failure', withCode('40001'), 'memory_conflict'],
    ['deadlock', withCode('40P01'), 'memory_conflict'],
    ['bad password', withCode('28P01'), 'memory_misconfigured'],
    ['unknown role', withCode('28000'), 'memory_misconfigured'],
    ['unknown database', withCode('3D000'), 'memory_misconfigured'],
    ['no privilege', withCode('42501'), 'memory_misconfigured'],
    ['unknown schema', withCode('3F000'), 'memory_schema_mismatch'],
    ['unknown table', withCode('42P01'), 'memory_schema_mismatch'],
    ['check violation', withCode('23514'), 'memory_failed'],
    ['a pool used after end', new Error('Cannot use a pool after calling end on the pool'), 'memory_closed'],
    ['anything else', new Error('boom'), 'memory_failed'],
  ])('%s -> %s', (_name, error, expected) => {
    expect(postgresErrorCode(error)).toBe(expected);
  });
});

describe('sqliteErrorCode', () => {
  it.each<[string, Error, MemoryStoreErrorCode]>([
    ['busy', withCode('SQLITE_BUSY'), 'memory_unavailable'],
    ['busy snapshot', withCode('SQLITE_BUSY_SNAPSHOT'), 'memory_unavailable'],
    ['disk full', withCode('SQLITE_FULL'), 'memory_unavailable'],
    ['I/O error', withCode('SQLITE_IOERR_WRITE'), 'memory_unavailable'],
    ['cannot open', withCode('SQLITE_CANTOPEN'), 'memory_misconfigured'],
    ['read-only file', withCode('SQLITE_READONLY'), 'memory_misconfigured'],
    ['no such table', withCode('SQLITE_ERROR', 'no such table: runs'), 'memory_schema_mismatch'],
    ['not a database', withCode('SQLITE_NOTADB'), 'memory_failed'],
    ['constraint', withCode('SQLITE_CONSTRAINT_CHECK'), 'memory_failed'],
    ['closed', new TypeError('The database connection is not open'), 'memory_closed'],
  ])('%s -> %s', (_name, error, expected) => {
    expect(sqliteErrorCode(error)).toBe(expected);
  });
});

describe('MemoryStoreError', () => {
  it('takes its retriable flag from its code', () => {
    expect(new MemoryStoreError('memory_unavailable', 'x')).toMatchObject({ retriable: true, name: 'MemoryStoreError' });
    expect(new MemoryStoreError('memory_conflict', 'x').retriable).toBe(true);
    expect(new MemoryStoreError('memory_schema_mismatch', 'x').retriable).toBe(false);
    expect(new MemoryStoreError('memory_invalid_record', 'x').retriable).toBe(false);
  });
});
