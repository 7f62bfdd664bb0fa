import { invalidInput } from '@agentos/worker-kit';
import { lstat, readlink, realpath } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { errorCode } from '../node-error-code';

/** Walks of a path that changed while it was walked, before it is refused. */
const MAX_RESOLVE_ATTEMPTS = 3;

/** The folder at the root where the worker keeps its own state; tools never expose it. */
export const RESERVED_STATE_DIR = '.agentos';

export interface SandboxPath {
  /** The path as the caller named it: normalised, relative to the root, '/'-separated. */
  readonly relative: string;
  /** Where it really is: symlinks resolved as far as the path exists, missing components appended. */
  readonly absolute: string;
  /** Whether the whole path exists now. */
  readonly exists: boolean;
  /** The root with its own symlinks resolved. */
  readonly realRoot: string;
}

/**
 * Turns user-supplied relative paths into absolute paths that stay inside one root.
 * Node has no openat/RESOLVE_BENEATH, so this resolves symlinks up front and callers open
 * the resolved path with O_NOFOLLOW (and re-check the opened file where the OS tells us its
 * path): a concurrent process swapping a parent directory for a symlink can still race us.
 */
export class SandboxRoot {
  constructor(private readonly root: string) {}

  async realRoot(): Promise<string> {
    try {
      return await realpath(this.root);
    } catch (error) {
      // A deployment problem, not the caller's: reported as `internal`, with a clear message.
      throw new Error(`sandbox root ${this.root} is not usable: ${errorCode(error) ?? String(error)}`, { cause: error });
    }
  }

  async resolve(userPath: string): Promise<SandboxPath> {
    const relative = normaliseUserPath(userPath);
    const realRoot = await this.realRoot();
    const segments = relative.split('/');
    for (let attempt = 1; ; attempt++) {
      const resolved = await this.resolveOnce(realRoot, relative, segments, userPath);
      // Something appeared while the path was walked (a concurrent write creating a shared folder):
      // walk again; only a path that keeps changing under us is refused.
      if (resolved !== 'changed') return resolved;
      if (attempt === MAX_RESOLVE_ATTEMPTS) throw invalidInput(`refusing ${userPath}: it keeps changing while it is resolved`);
    }
  }

  private async resolveOnce(realRoot: string, relative: string, segments: readonly string[], userPath: string): Promise<SandboxPath | 'changed'> {
    const whole = await realpathIfExists(path.join(realRoot, ...segments), userPath);
    if (whole !== undefined) {
      assertInside(realRoot, whole, userPath);
      return { relative, absolute: whole, exists: true, realRoot };
    }
    for (let depth = segments.length - 1; depth >= 0; depth--) {
      const ancestor = await realpathIfExists(path.join(realRoot, ...segments.slice(0, depth)), userPath);
      if (ancestor === undefined) continue;
      assertInside(realRoot, ancestor, userPath, { allowRoot: true });
      // realpath failed on the next component: it is missing, a dangling symlink, or created since.
      const next = path.join(ancestor, segments[depth]!);
      const kind = await entryKind(next);
      if (kind === 'symlink' && (await realpathIfExists(next, userPath)) === undefined) {
        throw invalidInput(`refusing ${userPath}: it goes through a symlink that points nowhere`);
      }
      if (kind !== 'missing') return 'changed';
      const absolute = path.join(ancestor, ...segments.slice(depth));
      assertInside(realRoot, absolute, userPath);
      return { relative, absolute, exists: false, realRoot };
    }
    throw new Error(`sandbox root ${this.root} disappeared`);
  }

  /** Re-checks a directory after creating it: it must still resolve inside the root. */
  async assertDirectoryInside(realRoot: string, directory: string, userPath: string): Promise<void> {
    assertInside(realRoot, await realpath(directory), userPath, { allowRoot: true });
  }

  /** Where the OS can say which file a handle refers to (Linux /proc), checks it is inside the root. */
  async assertHandleInside(realRoot: string, handle: FileHandle, userPath: string): Promise<void> {
    let opened: string;
    try {
      opened = await readlink(`/proc/self/fd/${handle.fd}`);
    } catch {
      return;
    }
    assertInside(realRoot, opened, userPath);
  }
}

function normaliseUserPath(userPath: string): string {
  if (userPath.includes('\0')) throw invalidInput('path must not contain NUL bytes');
  if (path.isAbsolute(userPath) || path.win32.isAbsolute(userPath)) {
    throw invalidInput(`path must be relative to the sandbox root: ${userPath}`);
  }
  const normalised = path.posix.normalize(userPath.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (normalised === '..' || normalised.startsWith('../')) {
    throw invalidInput(`path escapes the sandbox root: ${userPath}`);
  }
  if (normalised === '.' || normalised === '') throw invalidInput('path must name a file inside the sandbox root');
  if (isReserved(normalised)) throw invalidInput(`path is reserved for the worker's own state: ${userPath}`);
  return normalised;
}

function assertInside(realRoot: string, absolute: string, userPath: string, options: { allowRoot?: boolean } = {}): void {
  const relative = path.relative(realRoot, absolute);
  if (relative === '') {
    if (options.allowRoot) return;
    throw invalidInput('path must name a file inside the sandbox root');
  }
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw invalidInput(`refusing ${userPath}: it resolves outside the sandbox root (through a symlink)`);
  }
  if (isReserved(relative.split(path.sep).join('/'))) {
    throw invalidInput(`refusing ${userPath}: it resolves into the worker's reserved state folder`);
  }
}

// Case-insensitive: on macOS and Windows `.AgentOS` is the same folder.
function isReserved(relative: string): boolean {
  return relative.split('/')[0]!.toLowerCase() === RESERVED_STATE_DIR;
}

async function realpathIfExists(target: string, userPath: string): Promise<string | undefined> {
  try {
    return await realpath(target);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'ELOOP') throw invalidInput(`refusing ${userPath}: it goes through a symlink loop`);
    throw error;
  }
}

/** What is at `target`, without following a symlink there. */
async function entryKind(target: string): Promise<'missing' | 'symlink' | 'other'> {
  try {
    return (await lstat(target)).isSymbolicLink() ? 'symlink' : 'other';
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}
