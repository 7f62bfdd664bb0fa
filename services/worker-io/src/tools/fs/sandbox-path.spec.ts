import { mkdir, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { makeTempDirs, TempDirs } from '../testing/temp-root';
import { expectToolError } from '@agentos/test-kit';
import { SandboxRoot } from './sandbox-path';

describe('SandboxRoot', () => {
  let dirs: TempDirs;
  let sandbox: SandboxRoot;

  beforeEach(async () => {
    dirs = await makeTempDirs();
    sandbox = new SandboxRoot(dirs.root);
    await writeFile(path.join(dirs.outside, 'secret.txt'), 'secret');
  });
  afterEach(() => dirs.remove());

  it('resolves an existing file inside the root', async () => {
    await mkdir(path.join(dirs.root, 'a'));
    await writeFile(path.join(dirs.root, 'a', 'b.txt'), 'x');
    await expect(sandbox.resolve('a/b.txt')).resolves.toEqual({
      relative: 'a/b.txt',
      absolute: path.join(dirs.root, 'a', 'b.txt'),
      exists: true,
      realRoot: dirs.root,
    });
  });

  it('resolves a path that does not exist yet, normalising it', async () => {
    await expect(sandbox.resolve('./new/../dir/file.txt')).resolves.toMatchObject({
      relative: 'dir/file.txt',
      absolute: path.join(dirs.root, 'dir', 'file.txt'),
      exists: false,
    });
  });

  it('follows a symlink that stays inside the root', async () => {
    await writeFile(path.join(dirs.root, 'real.txt'), 'x');
    await symlink(path.join(dirs.root, 'real.txt'), path.join(dirs.root, 'alias.txt'));
    await expect(sandbox.resolve('alias.txt')).resolves.toMatchObject({
      relative: 'alias.txt',
      absolute: path.join(dirs.root, 'real.txt'),
    });
  });

  it.each([
    ['a parent reference', '../outside/secret.txt', /escapes the sandbox root/],
    ['a parent reference after a folder', 'a/../../outside/secret.txt', /escapes the sandbox root/],
    ['a Windows-style parent reference', '..\\outside\\secret.txt', /escapes the sandbox root/],
    ['an absolute path', '/etc/passwd', /must be relative/],
    ['a NUL byte', 'a\0b.txt', /NUL/],
    ['the reserved state folder', '.agentos/idempotency/x.json', /reserved/],
    ['the reserved state folder in other case', '.AgentOS/x', /reserved/],
    ['the root itself', '.', /must name a file/],
    ['the root with a trailing slash', './', /must name a file/],
  ])('refuses %s', async (_label, userPath, message) => {
    const error = await expectToolError(sandbox.resolve(userPath), 'invalid_input');
    expect(error.message).toMatch(message);
  });

  it('refuses a symlinked file pointing outside', async () => {
    await symlink(path.join(dirs.outside, 'secret.txt'), path.join(dirs.root, 'leak.txt'));
    const error = await expectToolError(sandbox.resolve('leak.txt'), 'invalid_input');
    expect(error.message).toMatch(/outside the sandbox root/);
  });

  it('refuses paths through a symlinked folder pointing outside, existing or not', async () => {
    await symlink(dirs.outside, path.join(dirs.root, 'escape'));
    await expectToolError(sandbox.resolve('escape/secret.txt'), 'invalid_input');
    await expectToolError(sandbox.resolve('escape/new.txt'), 'invalid_input');
    await expectToolError(sandbox.resolve('escape/new/deeper.txt'), 'invalid_input');
  });

  it('refuses a symlinked parent deeper in the path', async () => {
    await mkdir(path.join(dirs.root, 'a'));
    await symlink(dirs.outside, path.join(dirs.root, 'a', 'b'));
    await expectToolError(sandbox.resolve('a/b/secret.txt'), 'invalid_input');
  });

  it('refuses a symlink into the reserved state folder', async () => {
    await mkdir(path.join(dirs.root, '.agentos'));
    await symlink(path.join(dirs.root, '.agentos'), path.join(dirs.root, 'state'));
    const error = await expectToolError(sandbox.resolve('state/x.json'), 'invalid_input');
    expect(error.message).toMatch(/reserved/);
  });

  it('refuses a dangling symlink, which a write would otherwise follow', async () => {
    await symlink(path.join(dirs.outside, 'not-yet.txt'), path.join(dirs.root, 'dangling.txt'));
    const error = await expectToolError(sandbox.resolve('dangling.txt'), 'invalid_input');
    expect(error.message).toMatch(/points nowhere/);
  });

  it('refuses a symlink loop', async () => {
    await symlink(path.join(dirs.root, 'loop-b'), path.join(dirs.root, 'loop-a'));
    await symlink(path.join(dirs.root, 'loop-a'), path.join(dirs.root, 'loop-b'));
    await expectToolError(sandbox.resolve('loop-a/x.txt'), 'invalid_input');
  });

  it('works when the configured root is itself reached through a symlink', async () => {
    const aliasRoot = path.join(dirs.outside, 'root-alias');
    await symlink(dirs.root, aliasRoot);
    await writeFile(path.join(dirs.root, 'f.txt'), 'x');
    await expect(new SandboxRoot(aliasRoot).resolve('f.txt')).resolves.toMatchObject({
      absolute: path.join(dirs.root, 'f.txt'),
      exists: true,
    });
  });
});
