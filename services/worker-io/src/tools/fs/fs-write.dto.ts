import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min } from 'class-validator';
import { DtoClass } from '@agentos/worker-kit';
import { FILE_ENCODINGS, FileEncoding, maxEncodedLength } from './file-encoding';
import { MAX_PATH_LENGTH } from './fs-read.dto';
import { SHA256_HEX } from './idempotency-ledger';

export const WRITE_MODES = ['overwrite', 'create'] as const;
export type WriteMode = (typeof WRITE_MODES)[number];

export interface FsWriteInput {
  readonly path: string;
  readonly content: string;
  readonly encoding?: FileEncoding;
  readonly mode?: WriteMode;
}

/** The length bound here is a cheap first cut; the exact byte limit is checked after decoding. */
export function fsWriteInputDto(maxWriteBytes: number): DtoClass<FsWriteInput> {
  class FsWriteInputDto implements FsWriteInput {
    /** Relative to the sandbox root; missing parent folders are created. */
    @IsString()
    @Length(1, MAX_PATH_LENGTH)
    readonly path!: string;

    @IsString()
    @MaxLength(maxEncodedLength(maxWriteBytes))
    readonly content!: string;

    @IsOptional()
    @IsIn(FILE_ENCODINGS)
    readonly encoding?: FileEncoding;

    /** `create` fails if the file exists; `overwrite` (default) replaces it. */
    @IsOptional()
    @IsIn(WRITE_MODES)
    readonly mode?: WriteMode;
  }
  return FsWriteInputDto;
}

export class FsWriteOutput {
  @IsString()
  @Length(1, MAX_PATH_LENGTH)
  readonly path!: string;

  @IsInt()
  @Min(0)
  readonly bytes!: number;

  @Matches(SHA256_HEX)
  readonly sha256!: string;

  /** False when an earlier attempt with the same idempotency key already wrote it. */
  @IsBoolean()
  readonly applied!: boolean;
}
