/** The subset of `Headers` this reads, so any header source fits. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * How long a response asks the client to wait: `retry-after-ms` (milliseconds, sent by OpenAI),
 * else `retry-after` in seconds or as an HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: HeaderLookup | undefined, now: () => number = Date.now): number | undefined {
  if (!headers) return undefined;
  const millis = headers.get('retry-after-ms');
  if (millis !== null && /^\s*\d+(\.\d+)?\s*$/.test(millis)) return Math.ceil(Number(millis));
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1_000);
  // An HTTP date names its month; Date.parse alone would read '-1' as a year.
  const date = /[A-Za-z]/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}
