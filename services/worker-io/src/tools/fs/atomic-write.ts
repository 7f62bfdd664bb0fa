import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { errorCode } from '../node-error-code';

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export interface AtomicWriteOptions {
  /** Fail with `FileExistsError` instead of replacing an existing file. */
  readonly exclusive?: boolean;
  /** Permission bits for the new file (an overwrite keeps the old file's). */
  readonly mode?: number;
  /** Called with the temp file's handle before anything is written (e.g. to check where it landed). */
  readonly verify?: (handle: FileHandle) => Promise<void>;
}

export class FileExistsError extends Error {
  constructor(readonly target: string) {
    super(`${target} already exists`);
  }
}

/**
 * Writes `data` to a temp file beside `target`, flushes it, then moves it into place, so
 * readers see the old content or the new, never a torn file. Leaves no temp file behind.
 */
export async function writeFileAtomically(target: string, data: Buffer, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target).slice(0, 64)}.${randomUUID()}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;
  const handle = await open(temp, flags, options.mode ?? 0o666);
  let placed = false;
  try {
    try {
      if (options.verify) await options.verify(handle);
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive) await linkExclusively(temp, target);
    else await rename(temp, target);
    placed = true;
  } finally {
    // After link() the temp name is a second name for the new file; after rename() it is gone.
    if (!placed || options.exclusive) await unlink(temp).catch(() => undefined);
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

// link(2) fails if the target exists, atomically; rename(2) would replace it.
async function linkExclusively(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
    return;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') throw new FileExistsError(target);
    if (!NO_HARD_LINKS.has(errorCode(error) ?? '')) throw error;
  }
  // A filesystem without hard links: check, then rename (a small race, but no better primitive).
  if (await lstat(target).then(() => true, () => false)) throw new FileExistsError(target);
  await rename(temp, target);
}
