import { CsvValue } from './csv-parse.dto';

// No leading `+`, no leading zeros (`007` is an identifier, not seven), no bare `.5`.
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

/**
 * A field as a number or boolean when it unambiguously is one, else the text unchanged.
 * Numbers that would not survive the round trip (beyond 2^53, overflowing) stay text.
 */
export function castField(raw: string): CsvValue {
  if (NUMBER.test(raw)) {
    const value = Number(raw);
    const exact = INTEGER.test(raw) ? Number.isSafeInteger(value) : Number.isFinite(value);
    return exact ? value : raw;
  }
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return raw;
}
