import { JsonObject } from '@agentos/contracts';
import { invalidInput } from '@agentos/worker-kit';
// The sync build bundles its own CsvError class: import it from there for instanceof to hold.
import { CsvError, parse } from 'csv-parse/sync';

export interface CsvSyntax {
  readonly delimiter: string;
  /** The first record names the columns: it does not count as a row. */
  readonly header: boolean;
  readonly skipEmptyLines: boolean;
  readonly trim: boolean;
}

export interface RecordLimits {
  /** Data rows, the header not counted. */
  readonly maxRows: number;
  readonly maxColumns: number;
}

/**
 * Splits CSV text into records of raw fields. Every record must have as many fields as the
 * first; limits are enforced while parsing, so an oversized file stops early.
 */
export function readRecords(text: string, syntax: CsvSyntax, limits: RecordLimits): string[][] {
  let expectedFields: number | undefined;
  let rows = syntax.header ? -1 : 0;
  try {
    return parse(text, {
      delimiter: syntax.delimiter,
      trim: syntax.trim,
      skip_empty_lines: syntax.skipEmptyLines,
      bom: true,
      // Ragged records are reported by on_record below, with the line and both counts.
      relax_column_count: true,
      on_record: (record: string[], context: { lines: number }) => {
        rows += 1;
        if (rows > limits.maxRows) throw invalidInput(`more than ${limits.maxRows} rows`, { maxRows: limits.maxRows });
        if (record.length > limits.maxColumns) {
          throw invalidInput(`line ${context.lines} has ${record.length} fields, more than the ${limits.maxColumns} allowed`, {
            line: context.lines,
            maxColumns: limits.maxColumns,
          });
        }
        expectedFields ??= record.length;
        if (record.length !== expectedFields) {
          throw invalidInput(`line ${context.lines} has ${record.length} fields where the first record has ${expectedFields}`, {
            line: context.lines,
            fields: record.length,
            expected: expectedFields,
          });
        }
        return record;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) throw invalidInput(`malformed CSV: ${error.message}`, csvErrorDetails(error));
    throw error;
  }
}

function csvErrorDetails(error: CsvError): JsonObject {
  const details: JsonObject = { code: error.code };
  if (typeof error.lines === 'number') details.line = error.lines;
  return details;
}
