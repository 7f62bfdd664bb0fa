import { logicError } from '@agentos/worker-kit';
import { Hop } from './send-hop';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
const BODY_HEADERS = /^content-/i;

/**
 * The next hop a redirect asks for, or undefined if the response is not a redirect.
 * Follows what browsers do: 303 (and 301/302 after POST) become a GET without body, and
 * credentials are not forwarded to another origin.
 */
export function redirectHop(hop: Hop, status: number, location: string | undefined): Hop | undefined {
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(location, hop.url);
  } catch {
    throw logicError(`HTTP ${status} redirects to an invalid URL`, { status, location });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw logicError(`HTTP ${status} redirects to an unsupported scheme ${url.protocol}`, { status, location });
  }
  const becomesGet = status === 303 ? hop.method !== 'HEAD' : (status === 301 || status === 302) && hop.method === 'POST';
  const sameOrigin = url.origin === hop.url.origin;
  const headers = Object.fromEntries(
    Object.entries(hop.headers).filter(
      ([name]) => (sameOrigin || !CREDENTIAL_HEADERS.has(name.toLowerCase())) && !(becomesGet && BODY_HEADERS.test(name)),
    ),
  );
  return { url, method: becomesGet ? 'GET' : hop.method, headers, body: becomesGet ? undefined : hop.body };
}
