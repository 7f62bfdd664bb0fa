import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A fresh folder under the OS temp dir, and one beside it standing for "outside the sandbox". */
export interface TempDirs {
  readonly root: string;
  readonly outside: string;
  remove(): Promise<void>;
}

export async function makeTempDirs(): Promise<TempDirs> {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'agentos-worker-io-')));
  const root = path.join(base, 'root');
  const outside = path.join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  return { root, outside, remove: () => rm(base, { recursive: true, force: true }) };
}
