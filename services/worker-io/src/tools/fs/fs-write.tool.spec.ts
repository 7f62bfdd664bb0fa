import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { makeTempDirs, TempDirs } from '../testing/temp-root';
import { expectToolError, runTool } from '@agentos/test-kit';
import { FsWriteTool } from './fs-write.tool';

// The module object itself, which the tool's own imports read from (an `import * as` namespace would be a copy).
const fsPromises = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Every file under `dir`, relative, recursively: to prove nothing stray was left or created. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map((entry) => entry.split(path.sep).join('/')).sort();
}

describe('FsWriteTool (fs.write)', () => {
  const maxWriteBytes = 64;
  let dirs: TempDirs;
  let tool: FsWriteTool;

  beforeEach(async () => {
    dirs = await makeTempDirs();
    tool = new FsWriteTool({ root: dirs.root, maxWriteBytes });
    await writeFile(path.join(dirs.outside, 'secret.txt'), 'secret');
  });
  afterEach(() => dirs.remove());

  const readRoot = (relative: string): Promise<string> => readFile(path.join(dirs.root, relative), 'utf8');

  it('writes UTF-8 content, creating parent folders', async () => {
    const output = await runTool(tool, { path: 'out/deep/note.txt', content: 'héllo' });
    expect(output).toEqual({ path: 'out/deep/note.txt', bytes: 6, sha256: sha256('héllo'), applied: true });
    await expect(readRoot('out/deep/note.txt')).resolves.toBe('héllo');
  });

  it('writes base64 content as bytes', async () => {
    const output = await runTool(tool, { path: 'blob.bin', content: 'AP+ACg==', encoding: 'base64' });
    expect(output).toMatchObject({ bytes: 4, sha256: sha256(Buffer.from([0, 255, 128, 10])) });
    await expect(readFile(path.join(dirs.root, 'blob.bin'))).resolves.toEqual(Buffer.from([0, 255, 128, 10]));
  });

  it('overwrites an existing file by default, keeping its permission bits', async () => {
    await writeFile(path.join(dirs.root, 'script.sh'), 'old');
    await chmod(path.join(dirs.root, 'script.sh'), 0o750);
    await runTool(tool, { path: 'script.sh', content: 'new' });
    await expect(readRoot('script.sh')).resolves.toBe('new');
    expect((await stat(path.join(dirs.root, 'script.sh'))).mode & 0o777).toBe(0o750);
  });

  it('creates a file in create mode when it does not exist', async () => {
    await expect(runTool(tool, { path: 'fresh.txt', content: 'x', mode: 'create' })).resolves.toMatchObject({ applied: true });
    await expect(readRoot('fresh.txt')).resolves.toBe('x');
  });

  it('fails with logic_error in create mode when the file exists, leaving it alone', async () => {
    await writeFile(path.join(dirs.root, 'taken.txt'), 'original');
    const error = await expectToolError(runTool(tool, { path: 'taken.txt', content: 'x', mode: 'create' }), 'logic_error');
    expect(error.message).toMatch(/already exists/);
    await expect(readRoot('taken.txt')).resolves.toBe('original');
  });

  it('leaves no temp files behind, after success or failure', async () => {
    await runTool(tool, { path: 'a.txt', content: '1' }, { idempotencyKey: 'k1' });
    await runTool(tool, { path: 'a.txt', content: '2' }, { idempotencyKey: 'k2' });
    await runTool(tool, { path: 'sub/b.txt', content: '3' }, { idempotencyKey: 'k3' });
    await expectToolError(runTool(tool, { path: 'a.txt', content: '4', mode: 'create' }, { idempotencyKey: 'k4' }), 'logic_error');
    const files = (await listFiles(dirs.root)).filter((file) => !file.startsWith('.agentos'));
    expect(files).toEqual(['a.txt', 'sub', 'sub/b.txt']);
    const ledgerFiles = await readdir(path.join(dirs.root, '.agentos', 'idempotency'));
    expect(ledgerFiles.every((file) => /^[0-9a-f]{64}\.json$/.test(file))).toBe(true);
  });

  describe('idempotency', () => {
    it('records the write in a ledger named by the key hash', async () => {
      await runTool(tool, { path: 'a.txt', content: 'one' }, { idempotencyKey: 'key-A' });
      const ledger = JSON.parse(await readRoot(`.agentos/idempotency/${sha256('key-A')}.json`)) as unknown;
      expect(ledger).toEqual({ version: 1, path: 'a.txt', bytes: 3, sha256: sha256('one') });
    });

    it('does not write again for a key that already completed, even if the file changed since', async () => {
      const first = await runTool(tool, { path: 'a.txt', content: 'one' }, { idempotencyKey: 'key-A' });
      const file = path.join(dirs.root, 'a.txt');
      await writeFile(file, 'changed by someone else');
      const past = new Date('2020-01-01T00:00:00Z');
      await utimes(file, past, past);

      const second = await runTool(tool, { path: './a.txt', content: 'two' }, { idempotencyKey: 'key-A' });

      expect(second).toEqual({ ...first, applied: false });
      await expect(readRoot('a.txt')).resolves.toBe('changed by someone else');
      expect((await stat(file)).mtime).toEqual(past);
    });

    it('writes again under a different key', async () => {
      await runTool(tool, { path: 'a.txt', content: 'one' }, { idempotencyKey: 'key-A' });
      const second = await runTool(tool, { path: 'a.txt', content: 'two' }, { idempotencyKey: 'key-B' });
      expect(second).toMatchObject({ applied: true, sha256: sha256('two') });
      await expect(readRoot('a.txt')).resolves.toBe('two');
    });

    it('treats the same key with a different path as a new write', async () => {
      await runTool(tool, { path: 'a.txt', content: 'one' }, { idempotencyKey: 'key-A' });
      await expect(runTool(tool, { path: 'b.txt', content: 'one' }, { idempotencyKey: 'key-A' })).resolves.toMatchObject({ applied: true });
      await expect(readRoot('b.txt')).resolves.toBe('one');
    });

    describe('create mode meeting its own file (an attempt killed between the rename and the ledger record)', () => {
      const ledgerFile = (key: string): string => path.join(dirs.root, '.agentos', 'idempotency', `${sha256(key)}.json`);

      it('records the ledger entry and reports applied: false when the file holds exactly these bytes', async () => {
        // What a killed attempt leaves: the file in place, no ledger entry.
        await mkdir(path.join(dirs.root, 'out'));
        await writeFile(path.join(dirs.root, 'out', 'report.txt'), 'total 42\n');
        const past = new Date('2020-01-01T00:00:00Z');
        await utimes(path.join(dirs.root, 'out', 'report.txt'), past, past);

        const retry = await runTool(tool, { path: 'out/report.txt', content: 'total 42\n', mode: 'create' }, { idempotencyKey: 'goal-7:write' });

        expect(retry).toEqual({ path: 'out/report.txt', bytes: 9, sha256: sha256('total 42\n'), applied: false });
        expect(JSON.parse(await readFile(ledgerFile('goal-7:write'), 'utf8'))).toEqual({ version: 1, path: 'out/report.txt', bytes: 9, sha256: sha256('total 42\n') });
        // Not written again.
        expect((await stat(path.join(dirs.root, 'out', 'report.txt'))).mtime).toEqual(past);
        // The next attempt is answered from the ledger.
        await expect(runTool(tool, { path: 'out/report.txt', content: 'total 42\n', mode: 'create' }, { idempotencyKey: 'goal-7:write' })).resolves.toEqual(retry);
      });

      it.each([
        ['other bytes of the same length', 'total 43\n'],
        ['a longer file', 'total 42\n\n'],
        ['a shorter file', 'total 4'],
      ])('still fails with logic_error when the file holds %s, recording nothing', async (_label, onDisk) => {
        await writeFile(path.join(dirs.root, 'report.txt'), onDisk);
        await expectToolError(runTool(tool, { path: 'report.txt', content: 'total 42\n', mode: 'create' }, { idempotencyKey: 'goal-7:write' }), 'logic_error');
        await expect(readRoot('report.txt')).resolves.toBe(onDisk);
        await expect(stat(ledgerFile('goal-7:write'))).rejects.toThrow(/ENOENT/);
      });

      it('lets two attempts with the same key race: both succeed, one file, written once', async () => {
        const input = { path: 'race/once.txt', content: 'exactly once', mode: 'create' };
        const outputs = await Promise.all([1, 2, 3].map((attempt) => runTool(tool, input, { idempotencyKey: 'goal-8:write', attempt })));
        expect(outputs.filter((output) => output.applied)).toHaveLength(1);
        for (const output of outputs) expect(output).toMatchObject({ path: 'race/once.txt', bytes: 12, sha256: sha256('exactly once') });
        await expect(readRoot('race/once.txt')).resolves.toBe('exactly once');
        expect(await listFiles(path.join(dirs.root, 'race'))).toEqual(['once.txt']);
      });
    });

    it('does not record a write that failed, so the retry can succeed', async () => {
      await writeFile(path.join(dirs.root, 'taken.txt'), 'original');
      await expectToolError(runTool(tool, { path: 'taken.txt', content: 'x', mode: 'create' }, { idempotencyKey: 'key-C' }), 'logic_error');
      await expect(runTool(tool, { path: 'taken.txt', content: 'x' }, { idempotencyKey: 'key-C' })).resolves.toMatchObject({ applied: true });
    });
  });

  describe('a path that appears while it is being resolved', () => {
    afterEach(() => jest.restoreAllMocks());

    /** realpath(`appearing`) reports ENOENT once, after `create` made it exist: what a concurrent task does between two checks. */
    const appearDuringResolution = (appearing: string, create: () => Promise<unknown>): void => {
      const realpath = fsPromises.realpath;
      let raced = false;
      jest.spyOn(fsPromises, 'realpath').mockImplementation((async (target: string) => {
        if (!raced && target === appearing) {
          raced = true;
          await create();
          throw Object.assign(new Error(`ENOENT: no such file or directory, realpath '${target}'`), { code: 'ENOENT' });
        }
        return realpath(target);
      }) as typeof fsPromises.realpath);
    };

    it('writes into a parent folder a concurrent write created meanwhile (the first writes of a run race on it)', async () => {
      appearDuringResolution(path.join(dirs.root, 'out'), () => mkdir(path.join(dirs.root, 'out')));
      await expect(runTool(tool, { path: 'out/a.txt', content: 'a', mode: 'create' })).resolves.toMatchObject({ applied: true });
      await expect(readRoot('out/a.txt')).resolves.toBe('a');
    });

    it('claims the identical file another attempt with this key created meanwhile', async () => {
      await mkdir(path.join(dirs.root, 'out'));
      const file = path.join(dirs.root, 'out', 'b.txt');
      appearDuringResolution(file, () => writeFile(file, 'same bytes'));
      await expect(runTool(tool, { path: 'out/b.txt', content: 'same bytes', mode: 'create' }, { idempotencyKey: 'goal-9:write' })).resolves.toMatchObject({
        applied: false,
      });
    });

    it('still refuses a symlink that really points nowhere', async () => {
      await symlink(path.join(dirs.root, 'nowhere'), path.join(dirs.root, 'dangling'));
      const error = await expectToolError(runTool(tool, { path: 'dangling/c.txt', content: 'x' }), 'invalid_input');
      expect(error.message).toMatch(/symlink that points nowhere/);
    });
  });

  describe('bad input', () => {
    it.each([
      ['no path', { content: 'x' }],
      ['no content', { path: 'a.txt' }],
      ['content that is not a string', { path: 'a.txt', content: 42 }],
      ['an unknown mode', { path: 'a.txt', content: 'x', mode: 'append' }],
      ['an unknown encoding', { path: 'a.txt', content: 'x', encoding: 'hex' }],
      ['content far over the limit', { path: 'a.txt', content: 'x'.repeat(200) }],
      ['an unknown field', { path: 'a.txt', content: 'x', append: true }],
    ])('refuses input with %s', async (_label, input) => {
      await expectToolError(runTool(tool, input), 'invalid_input');
    });

    it('counts the limit in bytes, not characters', async () => {
      const error = await expectToolError(runTool(tool, { path: 'a.txt', content: 'é'.repeat(33) }), 'invalid_input');
      expect(error.details).toEqual({ sizeBytes: 66, maxBytes: maxWriteBytes });
    });

    it('refuses malformed base64 instead of writing what Buffer.from salvages', async () => {
      await expectToolError(runTool(tool, { path: 'a.bin', content: 'not base64!', encoding: 'base64' }), 'invalid_input');
      await expect(lstat(path.join(dirs.root, 'a.bin'))).rejects.toThrow();
    });

    it('refuses to replace a directory', async () => {
      await mkdir(path.join(dirs.root, 'folder'));
      const error = await expectToolError(runTool(tool, { path: 'folder', content: 'x' }), 'invalid_input');
      expect(error.message).toMatch(/is a directory/);
    });

    it('refuses a path whose parent is a file', async () => {
      await writeFile(path.join(dirs.root, 'file.txt'), 'x');
      const error = await expectToolError(runTool(tool, { path: 'file.txt/child.txt', content: 'x' }), 'invalid_input');
      expect(error.message).toMatch(/is a file, not a folder/);
    });
  });

  describe('sandbox', () => {
    afterEach(async () => {
      expect(await listFiles(dirs.outside)).toEqual(['secret.txt']);
      await expect(readFile(path.join(dirs.outside, 'secret.txt'), 'utf8')).resolves.toBe('secret');
    });

    it.each([
      ['a parent reference', '../outside/secret.txt'],
      ['an absolute path', path.join(path.sep, 'tmp', 'agentos-escape.txt')],
      ['a NUL byte', 'a.txt\0'],
      ['the reserved state folder', `.agentos/idempotency/${sha256('x')}.json`],
    ])('refuses %s', async (_label, userPath) => {
      await expectToolError(runTool(tool, { path: userPath, content: 'pwned' }), 'invalid_input');
    });

    it('refuses to write through a symlinked file pointing outside', async () => {
      await symlink(path.join(dirs.outside, 'secret.txt'), path.join(dirs.root, 'leak.txt'));
      await expectToolError(runTool(tool, { path: 'leak.txt', content: 'pwned' }), 'invalid_input');
      expect(await readlink(path.join(dirs.root, 'leak.txt'))).toBe(path.join(dirs.outside, 'secret.txt'));
    });

    it('refuses a dangling symlink pointing outside', async () => {
      await symlink(path.join(dirs.outside, 'new.txt'), path.join(dirs.root, 'dangling.txt'));
      await expectToolError(runTool(tool, { path: 'dangling.txt', content: 'pwned' }), 'invalid_input');
    });

    it('refuses a symlinked parent folder pointing outside, creating nothing there', async () => {
      await symlink(dirs.outside, path.join(dirs.root, 'escape'));
      await expectToolError(runTool(tool, { path: 'escape/new.txt', content: 'pwned' }), 'invalid_input');
      await expectToolError(runTool(tool, { path: 'escape/sub/dir/new.txt', content: 'pwned' }), 'invalid_input');
    });

    it('refuses a symlink into the reserved state folder', async () => {
      await mkdir(path.join(dirs.root, '.agentos', 'idempotency'), { recursive: true });
      await symlink(path.join(dirs.root, '.agentos'), path.join(dirs.root, 'state'));
      await expectToolError(runTool(tool, { path: `state/idempotency/${sha256('k')}.json`, content: '{}' }), 'invalid_input');
      expect(await readdir(path.join(dirs.root, '.agentos', 'idempotency'))).toEqual([]);
    });

    it('writes through a symlink that stays inside the root, keeping the link', async () => {
      await writeFile(path.join(dirs.root, 'real.txt'), 'old');
      await symlink(path.join(dirs.root, 'real.txt'), path.join(dirs.root, 'alias.txt'));
      await runTool(tool, { path: 'alias.txt', content: 'new' });
      await expect(readRoot('real.txt')).resolves.toBe('new');
      expect((await lstat(path.join(dirs.root, 'alias.txt'))).isSymbolicLink()).toBe(true);
    });
  });
});
