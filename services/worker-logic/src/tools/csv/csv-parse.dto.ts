import { IsBoundedJson, JsonObject } from '@agentos/contracts';
import { DtoClass } from '@agentos/worker-kit';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

/** A ceiling for the output contract; the configured `maxColumns` is the real limit. */
const MAX_OUTPUT_COLUMNS = 100_000;

/** One character, and not one that CSV itself uses for quoting or ending records. */
export const DELIMITER_PATTERN = /^[^"\r\n]$/u;

export interface CsvParseInput {
  readonly text: string;
  /** Field separator (default `,`). */
  readonly delimiter?: string;
  /** The first record names the columns (default true). */
  readonly header?: boolean;
  /** Numbers and booleans become typed values (default true). */
  readonly cast?: boolean;
  readonly skipEmptyLines?: boolean;
  /** Whitespace around fields is dropped (default true). */
  readonly trim?: boolean;
}

/** The input DTO carries the configured size limit, so validation (and any generated schema) states it. */
export function csvParseInputDto(maxInputBytes: number): DtoClass<CsvParseInput> {
  class CsvParseInputDto implements CsvParseInput {
    // Characters, a cheap first bound; the tool checks the UTF-8 byte size.
    @IsString()
    @MaxLength(maxInputBytes)
    readonly text!: string;

    @IsOptional()
    @IsString()
    @Matches(DELIMITER_PATTERN, { message: 'delimiter must be a single character other than a quote or a line break' })
    readonly delimiter?: string;

    @IsOptional()
    @IsBoolean()
    readonly header?: boolean;

    @IsOptional()
    @IsBoolean()
    readonly cast?: boolean;

    @IsOptional()
    @IsBoolean()
    readonly skipEmptyLines?: boolean;

    @IsOptional()
    @IsBoolean()
    readonly trim?: boolean;
  }
  return CsvParseInputDto;
}

export type CsvValue = string | number | boolean;

export class CsvParseOutput {
  /** The header's names, or `col1`..`colN` without a header. */
  @IsArray()
  @ArrayMaxSize(MAX_OUTPUT_COLUMNS)
  @IsString({ each: true })
  readonly columns!: string[];

  /** One object per record, keyed by `columns`. */
  @IsArray()
  @IsObject({ each: true })
  @IsBoundedJson()
  readonly rows!: JsonObject[];

  @IsInt()
  @Min(0)
  readonly rowCount!: number;
}
