import { ConfigError, loadConfig } from '@agentos/runtime';
import { memoryStoreOptions } from './create-memory-store';
import { MemoryConfig } from './memory.config';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(MemoryConfig, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig(MemoryConfig)', () => {
  it('defaults to the embedded store under .agentos/data', () => {
    const config = loadConfig(MemoryConfig, {});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.MEMORY_DATA_DIR).toBe('.agentos/data');
    expect(memoryStoreOptions(config)).toEqual({ databaseUrl: undefined, dataDir: '.agentos/data', schema: 'agentos_memory' });
  });

  it('treats an empty DATABASE_URL as absent', () => {
    expect(loadConfig(MemoryConfig, { DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    'postgres://postgres@127.0.0.1:5432/test',
    'postgresql://agentos:p%40ss@db.internal/agentos?sslmode=require',
    'postgres:///agentos?host=/var/run/postgresql',
  ])('accepts %s', (url) => {
    const config = loadConfig(MemoryConfig, { DATABASE_URL: url, MEMORY_DATA_DIR: '/var/lib/agentos', MEMORY_DATABASE_SCHEMA: 'team_a_memory' });
    expect(memoryStoreOptions(config)).toEqual({ databaseUrl: url, dataDir: '/var/lib/agentos', schema: 'team_a_memory' });
  });

  it.each([
    ['another database', 'mysql://root:hunter2-secret@db/agentos'],
    ['no scheme', 'root:hunter2-secret@db/agentos'],
    ['not a URL at all', 'hunter2-secret'],
  ])('refuses %s without repeating the value (it may hold a password)', (_name, url) => {
    const error = configError({ DATABASE_URL: url });
    expect(error).toMatchObject({ code: 'config_invalid', retriable: false });
    expect(error.message).toMatch(/DATABASE_URL: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(error.message).not.toContain('hunter2-secret');
  });

  it.each(['Agentos', 'memory-1', '1memory', 'a'.repeat(64), 'x; DROP SCHEMA public'])('refuses the schema name %s', (schema) => {
    expect(configError({ MEMORY_DATABASE_SCHEMA: schema }).message).toMatch(/MEMORY_DATABASE_SCHEMA must be a lower-case PostgreSQL identifier/);
  });
});
