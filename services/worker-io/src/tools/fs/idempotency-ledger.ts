import { plainToInstance } from 'class-transformer';
import { Equals, IsInt, IsString, Length, Matches, Min, validateSync } from 'class-validator';
import { createHash } from 'node:crypto';
import { mkdir, readFile, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomically } from './atomic-write';
import { errorCode } from '../node-error-code';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** What one completed write left behind, so a retry with the same key can answer without writing. */
export class LedgerEntry {
  @Equals(1)
  readonly version!: 1;

  @IsString()
  @Length(1, 4096)
  readonly path!: string;

  @IsInt()
  @Min(0)
  readonly bytes!: number;

  @Matches(SHA256_HEX)
  readonly sha256!: string;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * One JSON file per idempotency key, named by the key's hash (keys are caller-chosen text,
 * hashes are safe file names). Lives in the reserved state folder, which tools never expose.
 */
export class IdempotencyLedger {
  constructor(private readonly directory: string) {}

  async find(idempotencyKey: string): Promise<LedgerEntry | undefined> {
    let text: string;
    try {
      await this.assertNotRedirected();
      text = await readFile(this.fileFor(idempotencyKey), 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
    const entry = plainToInstance(LedgerEntry, JSON.parse(text) as object);
    // Written atomically by us, so a bad entry means tampering or a bug: never guess past it.
    const errors = validateSync(entry);
    if (errors.length > 0) throw new Error(`corrupt idempotency ledger entry ${this.fileFor(idempotencyKey)}`);
    return entry;
  }

  async record(idempotencyKey: string, entry: Omit<LedgerEntry, 'version'>): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await this.assertNotRedirected();
    const content: LedgerEntry = { version: 1, path: entry.path, bytes: entry.bytes, sha256: entry.sha256 };
    await writeFileAtomically(this.fileFor(idempotencyKey), Buffer.from(JSON.stringify(content)));
  }

  /** `directory` is a real path: if resolving it changes it, a symlink is redirecting the ledger. */
  private async assertNotRedirected(): Promise<void> {
    if ((await realpath(this.directory)) !== this.directory) {
      throw new Error(`idempotency ledger folder ${this.directory} is redirected by a symlink`);
    }
  }

  private fileFor(idempotencyKey: string): string {
    return path.join(this.directory, `${sha256Hex(idempotencyKey)}.json`);
  }
}
