import { DtoClass, invalidInput, Tool, ToolContext } from '@agentos/worker-kit';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { encodeContent } from './file-encoding';
import { FsReadInput, fsReadInputDto, FsReadOutput } from './fs-read.dto';
import { errorCode } from '../node-error-code';
import { SandboxRoot } from './sandbox-path';

export interface FsReadToolOptions {
  /** The folder the tool may read under; nothing outside it is reachable. */
  readonly root: string;
  /** Largest file the tool reads; callers may ask for less with `maxBytes`. */
  readonly maxReadBytes: number;
}

// O_NOFOLLOW: the last component was resolved already, so a symlink there now is a swap.
// O_NONBLOCK: opening a FIFO must not hang the worker; fstat then refuses it.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export class FsReadTool implements Tool<FsReadInput, FsReadOutput> {
  readonly name = 'fs.read';
  readonly description = 'Reads a file under the sandbox root, as UTF-8 text or base64.';
  readonly input: DtoClass<FsReadInput>;
  readonly output = FsReadOutput;
  readonly sideEffects = false;
  private readonly sandbox: SandboxRoot;

  constructor(private readonly options: FsReadToolOptions) {
    this.input = fsReadInputDto(options.maxReadBytes);
    this.sandbox = new SandboxRoot(options.root);
  }

  async execute(input: FsReadInput, _context: ToolContext): Promise<FsReadOutput> {
    const encoding = input.encoding ?? 'utf8';
    const maxBytes = Math.min(input.maxBytes ?? this.options.maxReadBytes, this.options.maxReadBytes);
    const target = await this.sandbox.resolve(input.path);
    if (!target.exists) throw invalidInput(`no such file: ${target.relative}`);

    const handle = await openForReading(target.absolute, target.relative);
    try {
      await this.sandbox.assertHandleInside(target.realRoot, handle, input.path);
      const stats = await handle.stat();
      if (stats.isDirectory()) throw invalidInput(`${target.relative} is a directory, not a file`);
      if (!stats.isFile()) throw invalidInput(`${target.relative} is not a regular file`);
      if (stats.size > maxBytes) throw tooLarge(target.relative, stats.size, maxBytes);
      const bytes = await readAtMost(handle, maxBytes + 1);
      // The file may have grown since fstat.
      if (bytes.length > maxBytes) throw tooLarge(target.relative, bytes.length, maxBytes);
      return { path: target.relative, encoding, content: encodeContent(bytes, encoding, target.relative), bytes: bytes.length };
    } finally {
      await handle.close();
    }
  }
}

async function openForReading(absolute: string, displayPath: string): Promise<FileHandle> {
  try {
    return await open(absolute, READ_FLAGS);
  } catch (error) {
    switch (errorCode(error)) {
      case 'ENOENT':
      case 'ENOTDIR':
        throw invalidInput(`no such file: ${displayPath}`);
      case 'ELOOP':
        throw invalidInput(`refusing ${displayPath}: it was replaced by a symlink while being read`);
      case 'EACCES':
      case 'EPERM':
        throw invalidInput(`permission denied: ${displayPath}`);
      default:
        throw error;
    }
  }
}

const CHUNK_BYTES = 64 * 1024;

/** Reads until end of file or `limit` bytes, allocating only what the file really holds. */
async function readAtMost(handle: FileHandle, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, limit - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(displayPath: string, size: number, maxBytes: number): Error {
  return invalidInput(`${displayPath} is ${size} bytes, more than the ${maxBytes} allowed`, { sizeBytes: size, maxBytes });
}
