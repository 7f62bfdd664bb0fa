import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLITE_FILE_NAME, SqliteMemoryStore } from '@agentos/memory';
import { UsageError } from '../cli/usage-error';
import { DEFAULT_PLAN_LIMIT, runMemoryInspect } from './memory-inspect.command';
import { MemoryReport } from '@agentos/memory';
import { seededRuns, temporarySqliteMemory } from './memory-report.fixture';

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('runMemoryInspect', () => {
  let root: string;
  let printed: string[];
  const print = (text: string) => void printed.push(text);
  const cleanups: Array<() => Promise<void>> = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'agentos-ops-cli-'));
    printed = [];
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(cleanups.splice(0).map((remove) => remove()));
    rmSync(root, { recursive: true, force: true });
  });

  /** A data folder holding a memory.sqlite with the seeded runs (the seeding store closed again). */
  const seededDataDir = async (): Promise<string> => {
    const memory = await temporarySqliteMemory(seededRuns());
    cleanups.push(memory.remove);
    await memory.store.close();
    return memory.dataDir;
  };

  it('says there is no memory yet, and creates neither the database nor its folder', async () => {
    const dataDir = join(root, 'data');
    expect(await runMemoryInspect([], { MEMORY_DATA_DIR: dataDir }, print)).toBe(0);
    expect(printed).toEqual([
      `no memory yet: ${join(dataDir, SQLITE_FILE_NAME)} does not exist (the supervisor creates it on its first finished goal)`,
    ]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('leaves an existing but empty data folder empty', async () => {
    mkdirSync(join(root, 'data'));
    expect(await runMemoryInspect(['--json'], { MEMORY_DATA_DIR: join(root, 'data') }, print)).toBe(0);
    expect(printed[0]).toMatch(/^no memory yet: /);
    expect(readdirSync(join(root, 'data'))).toEqual([]);
  });

  it('prints the report as JSON, as many plan shapes as asked for, and closes the store', async () => {
    const dataDir = await seededDataDir();
    const close = jest.spyOn(SqliteMemoryStore.prototype, 'close');
    expect(await runMemoryInspect(['--json', '--plans', '2'], { MEMORY_DATA_DIR: dataDir }, print)).toBe(0);
    expect(printed).toHaveLength(1);
    const report = JSON.parse(printed[0]!) as MemoryReport;
    expect(report).toMatchObject({ store: 'sqlite', runs: 8, plans: { shapes: 4 } });
    expect(report.plans.entries.map((entry) => entry.lastGoalId)).toEqual(['g-sum-3', 'g-report-3']);
    expect(report.tools).toHaveLength(5);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it(`prints the report as text by default, with up to ${DEFAULT_PLAN_LIMIT} plan shapes`, async () => {
    const dataDir = await seededDataDir();
    expect(await runMemoryInspect([], { MEMORY_DATA_DIR: dataDir }, print)).toBe(0);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^Memory \(sqlite\): 8 runs stored\n/);
    expect(printed[0]).toContain('Plan library: 4 of 4 plan shapes');
  });

  it.each([[['--plans', '0']], [['--plans', 'many']], [['--plans', '1.5']], [['--verbose']], [['extra']]])('refuses %j as a usage error', async (args) => {
    await expect(runMemoryInspect(args, { MEMORY_DATA_DIR: join(root, 'data') }, print)).rejects.toBeInstanceOf(UsageError);
    expect(printed).toEqual([]);
  });

  it('never shows the password of DATABASE_URL, neither when the server is down nor when the URL is refused', async () => {
    const password = 's3cret-Pa55';
    const down = `postgres://agentos:${password}@127.0.0.1:${await closedPort()}/memory`;
    for (const url of [down, `mysql://root:${password}@127.0.0.1/memory`]) {
      const failure = await runMemoryInspect([], { DATABASE_URL: url, MEMORY_DATA_DIR: join(root, 'data') }, print).then(
        () => new Error('expected a failure'),
        (error: unknown) => error as Error,
      );
      expect(failure.message).not.toBe('expected a failure');
      expect(`${failure.message} ${JSON.stringify(failure)}`).not.toContain(password);
    }
    expect(printed).toEqual([]);
    expect(existsSync(join(root, 'data'))).toBe(false);
  });
});
