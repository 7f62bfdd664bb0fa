import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DtoClass } from '@agentos/worker-kit';
import { FILE_ENCODINGS, FileEncoding } from './file-encoding';

export const MAX_PATH_LENGTH = 4096;

export interface FsReadInput {
  readonly path: string;
  readonly encoding?: FileEncoding;
  readonly maxBytes?: number;
}

/** The input DTO carries the configured limit, so validation (and any generated schema) states it. */
export function fsReadInputDto(maxReadBytes: number): DtoClass<FsReadInput> {
  class FsReadInputDto implements FsReadInput {
    /** Relative to the sandbox root. */
    @IsString()
    @Length(1, MAX_PATH_LENGTH)
    readonly path!: string;

    @IsOptional()
    @IsIn(FILE_ENCODINGS)
    readonly encoding?: FileEncoding;

    /** Refuse files larger than this (default: the configured maximum). */
    @IsOptional()
    @IsInt()
    @Min(1)
    @Max(maxReadBytes)
    readonly maxBytes?: number;
  }
  return FsReadInputDto;
}

export class FsReadOutput {
  @IsString()
  @Length(1, MAX_PATH_LENGTH)
  readonly path!: string;

  @IsIn(FILE_ENCODINGS)
  readonly encoding!: FileEncoding;

  @IsString()
  readonly content!: string;

  @IsInt()
  @Min(0)
  readonly bytes!: number;
}
