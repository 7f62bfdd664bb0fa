import { JsonObject } from '@agentos/contracts';
import { DtoClass, invalidInput, Tool, ToolContext } from '@agentos/worker-kit';
import { throwIfAborted } from '../shared/abort';
import { assertOutputFits, DEFAULT_MAX_OUTPUT_BYTES } from '../shared/output-size';
import { castField } from './cast-field';
import { generatedColumns, headerColumns } from './csv-columns';
import { CsvParseInput, csvParseInputDto, CsvParseOutput } from './csv-parse.dto';
import { readRecords } from './read-records';

export interface CsvParseToolOptions {
  /** Largest CSV text, in UTF-8 bytes. */
  readonly maxInputBytes: number;
  /** Most data rows (the header not counted). */
  readonly maxRows: number;
  readonly maxColumns: number;
  /** Largest output, as UTF-8 JSON: rows repeat every column name, so output outgrows input. */
  readonly maxOutputBytes: number;
}

export const DEFAULT_CSV_PARSE_OPTIONS: CsvParseToolOptions = {
  maxInputBytes: 512 * 1024,
  maxRows: 100_000,
  maxColumns: 1_000,
  maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES,
};

export class CsvParseTool implements Tool<CsvParseInput, CsvParseOutput> {
  readonly name = 'csv.parse';
  readonly description =
    'Parses CSV text into rows keyed by column name (RFC 4180 quoting), casting numbers and booleans by default.';
  readonly input: DtoClass<CsvParseInput>;
  readonly output: DtoClass<CsvParseOutput> = CsvParseOutput;
  readonly sideEffects = false;
  private readonly options: CsvParseToolOptions;

  constructor(options: Partial<CsvParseToolOptions> = {}) {
    this.options = { ...DEFAULT_CSV_PARSE_OPTIONS, ...options };
    this.input = csvParseInputDto(this.options.maxInputBytes);
  }

  async execute(input: CsvParseInput, context: ToolContext): Promise<CsvParseOutput> {
    throwIfAborted(context.signal, this.name);
    const bytes = Buffer.byteLength(input.text, 'utf8');
    if (bytes > this.options.maxInputBytes) {
      throw invalidInput(`text is ${bytes} bytes, more than the ${this.options.maxInputBytes} allowed`, {
        bytes,
        maxBytes: this.options.maxInputBytes,
      });
    }

    const header = input.header ?? true;
    const records = readRecords(
      input.text,
      { delimiter: input.delimiter ?? ',', header, skipEmptyLines: input.skipEmptyLines ?? true, trim: input.trim ?? true },
      { maxRows: this.options.maxRows, maxColumns: this.options.maxColumns },
    );
    const columns = header ? headerColumns(records[0] ?? []) : generatedColumns(records[0]?.length ?? 0);
    const cast = input.cast ?? true;
    const rows = (header ? records.slice(1) : records).map((record) => toRow(columns, record, cast));

    const output = { columns, rows, rowCount: rows.length };
    assertOutputFits(output, this.options.maxOutputBytes, 'parsed CSV');
    return output;
  }
}

/** Column names are validated (no prototype keys), so plain assignment only creates own properties. */
function toRow(columns: readonly string[], record: readonly string[], cast: boolean): JsonObject {
  const row: JsonObject = {};
  columns.forEach((column, index) => {
    const raw = record[index] ?? '';
    row[column] = cast ? castField(raw) : raw;
  });
  return row;
}
