let cachedMs = -1;
let cachedIso = '';

/**
 * An RFC 3339 UTC timestamp for epoch milliseconds (now by default). Busy services stamp tens of
 * thousands of messages a second, mostly within the same millisecond: the string is made
 * once per millisecond.
 */
export function isoTime(epochMs: number = Date.now()): string {
  if (epochMs !== cachedMs) {
    cachedMs = epochMs;
    cachedIso = new Date(epochMs).toISOString();
  }
  return cachedIso;
}
