import { DtoClass, invalidInput, logicError, Tool, ToolContext } from '@agentos/worker-kit';
import { mkdir, stat } from 'node:fs/promises';
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
    const existingMode = await this.checkExisting(target, mode);
    await this.createParent(target, input.path);
    try {
      await writeFileAtomically(target.absolute, data, {
        exclusive: mode === 'create',
        mode: existingMode,
        verify: (handle) => this.sandbox.assertHandleInside(target.realRoot, handle, input.path),
      });
    } catch (error) {
      if (error instanceof FileExistsError) throw alreadyExists(target.relative);
      if (errorCode(error) === 'EISDIR') throw invalidInput(`${target.relative} is a directory, not a file`);
      throw error;
    }
    const written = { path: target.relative, bytes: data.length, sha256: sha256Hex(data) };
    // Recorded only after the rename: a crash in between means the retry writes the same bytes again.
    await ledger.record(context.idempotencyKey, written);
    return { ...written, applied: true };
  }

  /** Refuses what cannot be overwritten; returns the permission bits an overwrite should keep. */
  private async checkExisting(target: SandboxPath, mode: 'overwrite' | 'create'): Promise<number | undefined> {
    if (!target.exists) return undefined;
    const stats = await stat(target.absolute);
    if (stats.isDirectory()) throw invalidInput(`${target.relative} is a directory, not a file`);
    if (!stats.isFile()) throw invalidInput(`${target.relative} is not a regular file`);
    if (mode === 'create') throw alreadyExists(target.relative);
    return stats.mode & 0o7777;
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
