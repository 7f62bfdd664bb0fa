/** What a PostgreSQL connection URL may start with. */
export const POSTGRES_URL_PROTOCOLS: readonly string[] = ['postgres:', 'postgresql:'];

/** Whether `value` parses as a postgres:// or postgresql:// URL. Never echoes the value. */
export function isPostgresUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return POSTGRES_URL_PROTOCOLS.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const SECRET_PARAMETERS = ['password', 'sslpassword', 'sslkey'];

/**
 * The URL as it may appear in messages and logs: password (and secret query parameters)
 * replaced by `***`. Anything else is not shown at all.
 */
export function redactDatabaseUrl(value: string): string {
  // Anything but a postgres URL is not shown: where its secret sits is anyone's guess.
  if (!isPostgresUrl(value)) return '<not a postgres:// URL>';
  const url = new URL(value);
  if (url.password !== '') url.password = '***';
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAMETERS.includes(name.toLowerCase())) url.searchParams.set(name, '***');
  }
  // URLSearchParams encodes `*` as %2A; keep the marker readable.
  return url.toString().replace(/%2A%2A%2A/g, '***');
}
