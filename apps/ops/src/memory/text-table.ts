export interface Column<Row> {
  readonly header: string;
  /** Numbers read best right-aligned. */
  readonly align?: 'left' | 'right';
  readonly value: (row: Row) => string;
}

const GAP = '  ';

/** A table as lines of text: a header row, then one line per row, columns padded to their widest cell. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string[] {
  const cells = [columns.map((column) => column.header), ...rows.map((row) => columns.map((column) => oneLine(column.value(row))))];
  const widths = columns.map((_column, index) => Math.max(...cells.map((line) => width(line[index]!))));
  return cells.map((line) =>
    line
      .map((cell, index) => (columns[index]!.align === 'right' ? pad(cell, widths[index]!, 'start') : pad(cell, widths[index]!, 'end')))
      .join(GAP)
      .trimEnd(),
  );
}

/**
 * The text on one line: control characters (goal texts come from users, and a terminal would
 * obey an escape sequence) and runs of whitespace become single spaces.
 */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
}

/** At most `max` characters (code points), the last one `…` when cut. */
export function truncate(text: string, max: number): string {
  const characters = Array.from(oneLine(text));
  return characters.length <= max ? characters.join('') : `${characters.slice(0, max - 1).join('')}…`;
}

function width(text: string): number {
  return Array.from(text).length;
}

function pad(text: string, size: number, side: 'start' | 'end'): string {
  const fill = ' '.repeat(size - width(text));
  return side === 'start' ? fill + text : text + fill;
}
