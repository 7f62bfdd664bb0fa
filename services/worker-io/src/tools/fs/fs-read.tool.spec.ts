import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { makeTempDirs, TempDirs } from '../testing/temp-root';
import { expectToolError, runTool } from '@agentos/test-kit';
import { FsReadTool } from './fs-read.tool';

describe('FsReadTool (fs.read)', () => {
  const maxReadBytes = 1024;
  let dirs: TempDirs;
  let tool: FsReadTool;

  beforeEach(async () => {
    dirs = await makeTempDirs();
    tool = new FsReadTool({ root: dirs.root, maxReadBytes });
    await mkdir(path.join(dirs.root, 'docs'));
    await writeFile(path.join(dirs.root, 'docs', 'hello.txt'), 'héllo\n');
    await writeFile(path.join(dirs.outside, 'secret.txt'), 'secret');
  });
  afterEach(() => dirs.remove());

  it('reads UTF-8 text by default', async () => {
    await expect(runTool(tool, { path: 'docs/hello.txt' })).resolves.toEqual({
      path: 'docs/hello.txt',
      encoding: 'utf8',
      content: 'héllo\n',
      bytes: 7,
    });
  });

  it('reads binary as base64', async () => {
    await writeFile(path.join(dirs.root, 'blob.bin'), Buffer.from([0, 255, 128, 10]));
    await expect(runTool(tool, { path: 'blob.bin', encoding: 'base64' })).resolves.toEqual({
      path: 'blob.bin',
      encoding: 'base64',
      content: 'AP+ACg==',
      bytes: 4,
    });
  });

  it('reads an empty file', async () => {
    await writeFile(path.join(dirs.root, 'empty.txt'), '');
    await expect(runTool(tool, { path: 'empty.txt' })).resolves.toMatchObject({ content: '', bytes: 0 });
  });

  it('refuses to read non-UTF-8 bytes as text, pointing at base64', async () => {
    await writeFile(path.join(dirs.root, 'blob.bin'), Buffer.from([0xc3, 0x28]));
    const error = await expectToolError(runTool(tool, { path: 'blob.bin' }), 'invalid_input');
    expect(error.message).toMatch(/not valid UTF-8.*base64/);
  });

  it('reports a missing file clearly', async () => {
    const error = await expectToolError(runTool(tool, { path: 'docs/missing.txt' }), 'invalid_input');
    expect(error.message).toBe('no such file: docs/missing.txt');
  });

  it('reports a path through a file as missing', async () => {
    await expectToolError(runTool(tool, { path: 'docs/hello.txt/child' }), 'invalid_input');
  });

  it('refuses a directory', async () => {
    const error = await expectToolError(runTool(tool, { path: 'docs' }), 'invalid_input');
    expect(error.message).toMatch(/is a directory/);
  });

  it('refuses a FIFO without blocking on it', async () => {
    execFileSync('mkfifo', [path.join(dirs.root, 'pipe')]);
    const error = await expectToolError(runTool(tool, { path: 'pipe' }), 'invalid_input');
    expect(error.message).toMatch(/not a regular file/);
  });

  it('refuses a file larger than the maxBytes asked for', async () => {
    const error = await expectToolError(runTool(tool, { path: 'docs/hello.txt', maxBytes: 6 }), 'invalid_input');
    expect(error.details).toEqual({ sizeBytes: 7, maxBytes: 6 });
  });

  it('reads a file exactly maxBytes long', async () => {
    await expect(runTool(tool, { path: 'docs/hello.txt', maxBytes: 7 })).resolves.toMatchObject({ bytes: 7 });
  });

  it('refuses a file larger than the configured maximum', async () => {
    await writeFile(path.join(dirs.root, 'big.txt'), 'x'.repeat(maxReadBytes + 1));
    const error = await expectToolError(runTool(tool, { path: 'big.txt' }), 'invalid_input');
    expect(error.details).toEqual({ sizeBytes: maxReadBytes + 1, maxBytes: maxReadBytes });
  });

  it.each([
    ['no path', {}],
    ['an empty path', { path: '' }],
    ['a path too long', { path: 'a'.repeat(4097) }],
    ['an unknown encoding', { path: 'docs/hello.txt', encoding: 'latin1' }],
    ['maxBytes above the configured maximum', { path: 'docs/hello.txt', maxBytes: maxReadBytes + 1 }],
    ['maxBytes zero', { path: 'docs/hello.txt', maxBytes: 0 }],
    ['a fractional maxBytes', { path: 'docs/hello.txt', maxBytes: 1.5 }],
    ['an unknown field', { path: 'docs/hello.txt', follow: true }],
  ])('refuses input with %s', async (_label, input) => {
    await expectToolError(runTool(tool, input), 'invalid_input');
  });

  it.each([
    ['a parent reference', '../outside/secret.txt'],
    ['an absolute path', path.join('/', 'etc', 'passwd')],
    ['a NUL byte', 'docs/hello.txt\0.png'],
    ['the reserved state folder', '.agentos/idempotency/anything.json'],
  ])('refuses %s', async (_label, userPath) => {
    await expectToolError(runTool(tool, { path: userPath }), 'invalid_input');
  });

  it('refuses a symlinked file pointing outside the root', async () => {
    await symlink(path.join(dirs.outside, 'secret.txt'), path.join(dirs.root, 'leak.txt'));
    const error = await expectToolError(runTool(tool, { path: 'leak.txt' }), 'invalid_input');
    expect(error.message).toMatch(/outside the sandbox root/);
  });

  it('refuses a file under a symlinked folder pointing outside the root', async () => {
    await symlink(dirs.outside, path.join(dirs.root, 'docs', 'escape'));
    await expectToolError(runTool(tool, { path: 'docs/escape/secret.txt' }), 'invalid_input');
  });

  it('reads through a symlink that stays inside the root', async () => {
    await symlink(path.join(dirs.root, 'docs', 'hello.txt'), path.join(dirs.root, 'alias.txt'));
    await expect(runTool(tool, { path: 'alias.txt' })).resolves.toMatchObject({ path: 'alias.txt', content: 'héllo\n' });
  });
});

describe('FsReadTool with a missing root', () => {
  it('fails as a deployment problem (internal), not as bad input', async () => {
    const tool = new FsReadTool({ root: '/nonexistent/agentos-root', maxReadBytes: 10 });
    await expect(runTool(tool, { path: 'a.txt' })).rejects.toThrow(/sandbox root \/nonexistent\/agentos-root is not usable: ENOENT/);
  });
});
