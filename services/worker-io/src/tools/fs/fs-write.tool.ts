import { DtoClass, invalidInput, logicError, Tool, ToolContext } from '@agentos/worker-kit';
import { constants } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { FileExistsError, writeFileAtomically } from './atomic-write';
import { decodeContent } from './file-encoding';
import { FsWriteInput, fsWriteInputDto, FsWriteOutput } from './fs-write.dto';
import { IdempotencyLedger, sha256Hex } from './idempotency-ledger';
import { errorCode } from '../node-error-code';
import { RESERVED_STATE_DIR, SandboxPath, SandboxRoot } from './sandbox-path';

export interface FsWriteToolOptions {
  /** The folder the tool may write under; nothing outside it is reachable. */
  readonly root: string;
  /** Largest file the tool writes, counted after decoding the content. */
  readonly maxWriteBytes: number;
}

// O_NOFOLLOW: the path was resolved already, so a symlink there now is a swap. O_NONBLOCK: never hang on a FIFO.
const EXISTING_FILE_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export class FsWriteTool implements Tool<FsWriteInput, FsWriteOutput> {
  readonly name = 'fs.write';
  readonly description =
    'Writes a file under the sandbox root atomically, creating parent folders; once per idempotency key.';
  readonly input: DtoClass<FsWriteInput>;
  readonly output = FsWriteOutput;
  readonly sideEffects = true;
  private readonly sandbox: SandboxRoot;

  constructor(private readonly options: FsWriteToolOptions) {
    this.input = fsWriteInputDto(options.maxWriteBytes);
    this.sandbox = new SandboxRoot(options.root);
  }

  async execute(input: FsWriteInput, context: ToolContext): Promise<FsWriteOutput> {
    const data = decodeContent(input.content, input.encoding ?? 'utf8');
    if (data.length > this.options.maxWriteBytes) {
      throw invalidInput(`content is ${data.length} bytes, more than the ${this.options.maxWriteBytes} allowed`, {
        sizeBytes: data.length,
        maxBytes: this.options.maxWriteBytes,
      });
    }
    const target = await this.sandbox.resolve(input.path);
    const ledger = new IdempotencyLedger(path.join(target.realRoot, RESERVED_STATE_DIR, 'idempotency'));
    const done = await ledger.find(context.idempotencyKey);
    if (done && done.path === target.relative) {
      return { path: done.path, bytes: done.bytes, sha256: done.sha256, applied: false };
    }

    const mode = input.mode ?? 'overwrite';
    const written = { path: target.relative, bytes: data.length, sha256: sha256Hex(data) };
    const existing = await this.checkExisting(target, mode);
    if (existing === 'taken') return this.claimIdenticalFile(target, written, ledger, context.idempotencyKey);
    await this.createParent(target, input.path);
    try {
      await writeFileAtomically(target.absolute, data, {
        exclusive: mode === 'create',
        mode: existing,
        verify: (handle) => this.sandbox.assertHandleInside(target.realRoot, handle, input.path),
      });
    } catch (error) {
      // Created since the check: possibly another attempt with this key, running at the same time.
      if (error instanceof FileExistsError) return this.claimIdenticalFile(target, written, ledger, context.idempotencyKey);
      if (errorCode(error) === 'EISDIR') throw invalidInput(`${target.relative} is a directory, not a file`);
      throw error;
    }
    // Recorded only after the rename: a crash in between leaves the file without its ledger entry,
    // which the retry finds (same bytes again, or `create` meeting its own file: claimIdenticalFile).
    await ledger.record(context.idempotencyKey, written);
    return { ...written, applied: true };
  }

  /**
   * Refuses what cannot be overwritten; returns the permission bits an overwrite should keep,
   * or `taken` when `create` finds a file there.
   */
  private async checkExisting(target: SandboxPath, mode: 'overwrite' | 'create'): Promise<number | 'taken' | undefined> {
    if (!target.exists) return undefined;
    const stats = await stat(target.absolute);
    if (stats.isDirectory()) throw invalidInput(`${target.relative} is a directory, not a file`);
    if (!stats.isFile()) throw invalidInput(`${target.relative} is not a regular file`);
    if (mode === 'create') return 'taken';
    return stats.mode & 0o7777;
  }

  /**
   * `create` found the file already there. When it holds exactly the bytes this write would
   * write, an earlier attempt with this key wrote it and stopped before recording it in the
   * ledger (a worker killed between the rename and the record), or is running right now:
   * record it and report it as not applied. Any other content is someone else's file.
   */
  private async claimIdenticalFile(
    target: SandboxPath,
    written: { readonly path: string; readonly bytes: number; readonly sha256: string },
    ledger: IdempotencyLedger,
    idempotencyKey: string,
  ): Promise<FsWriteOutput> {
    if ((await this.sha256OfFile(target, written.bytes)) !== written.sha256) throw alreadyExists(target.relative);
    await ledger.record(idempotencyKey, written);
    return { ...written, applied: false };
  }

  /** The hash of the regular file at the target when it is `expectedBytes` long; undefined otherwise. */
  private async sha256OfFile(target: SandboxPath, expectedBytes: number): Promise<string | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(target.absolute, EXISTING_FILE_FLAGS);
    } catch (error) {
      const code = errorCode(error);
      // Gone again, or swapped for a symlink: not the file this write would have made.
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return undefined;
      throw error;
    }
    try {
      await this.sandbox.assertHandleInside(target.realRoot, handle, target.relative);
      const stats = await handle.stat();
      if (!stats.isFile() || stats.size !== expectedBytes) return undefined;
      return sha256Hex(await handle.readFile());
    } finally {
      await handle.close();
    }
  }

  private async createParent(target: SandboxPath, userPath: string): Promise<void> {
    const parent = path.dirname(target.absolute);
    try {
      await mkdir(parent, { recursive: true });
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EEXIST' || code === 'ENOTDIR') throw invalidInput(`a parent of ${target.relative} is a file, not a folder`);
      throw error;
    }
    await this.sandbox.assertDirectoryInside(target.realRoot, parent, userPath);
  }
}

function alreadyExists(displayPath: string): Error {
  return logicError(`${displayPath} already exists and mode is "create"`, { path: displayPath });
}
