export type Cell = string | number | undefined;

const NUMBER_LIKE = /^(?:n\/a|\**[-+]?[\d,]*\.?\d+(?:x| s| ms| MB| µs|%)?\**|[\d,]+-[\d,]+)$/;

/** A GitHub-flavoured Markdown table; columns of figures right-aligned, everything else left-aligned. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => headers.map((_, i) => (row[i] === undefined ? '' : String(row[i]))));
  const numeric = headers.map((_, i) => rows.length > 0 && text.every((row) => row[i] === '' || NUMBER_LIKE.test(row[i]!)));
  const widths = headers.map((header, i) => Math.max(3, header.length, ...text.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (numeric[i] ? `${'-'.repeat(width + 1)}:` : `${'-'.repeat(width + 2)}`)).join('|')}|`;
  return [line(headers), rule, ...text.map(line)].join('\n');
}

/** A number with thousands separators and a fixed number of decimals. */
export function fmt(value: number | undefined, decimals = 0): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function ratio(numerator: number | undefined, denominator: number | undefined): string {
  if (numerator === undefined || denominator === undefined || !(denominator > 0)) return 'n/a';
  const value = numerator / denominator;
  return `${value >= 0.1 ? value.toFixed(2) : value.toPrecision(2)}x`;
}
