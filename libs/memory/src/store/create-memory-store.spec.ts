import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, SQLITE_FILE_NAME } from './create-memory-store';
import { MemoryStoreError } from './memory-store-error';
import { sampleRun } from './memory-store.fixture';
import { SqliteMemoryStore } from './sqlite-memory-store';

describe('createMemoryStore without a database URL', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'agentos-memory-create-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('opens a migrated SQLite store in memory.sqlite, creating the data folder', async () => {
    const dataDir = join(root, 'nested', 'data');
    for (const databaseUrl of [undefined, '']) {
      const store = await createMemoryStore({ databaseUrl, dataDir });
      try {
        expect(store).toBeInstanceOf(SqliteMemoryStore);
        expect(store.kind).toBe('sqlite');
        expect(existsSync(join(dataDir, SQLITE_FILE_NAME))).toBe(true);
        await store.recordRun(sampleRun(`goal-${databaseUrl === undefined ? 'a' : 'b'}`));
      } finally {
        await store.close();
      }
    }
    const reopened = await createMemoryStore({ dataDir });
    expect(await reopened.count()).toBe(2);
    await reopened.close();
  });

  it('fails as misconfigured when the data folder cannot be made', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const failure = createMemoryStore({ dataDir: join(file, 'data') });
    await expect(failure).rejects.toBeInstanceOf(MemoryStoreError);
    await expect(failure).rejects.toMatchObject({ code: 'memory_misconfigured', retriable: false });
  });
});
