import * as http from 'node:http';
import * as https from 'node:https';
import { AddressGuard, Destination } from './address-guard';
import { checkLiteralHost, guardedLookup, Resolver } from './guarded-lookup';
import { HttpMethod } from './http-request.dto';
import { hopHeaders } from './request-headers';

/** One request on the way to an answer: the first, or one redirect further. */
export interface Hop {
  readonly url: URL;
  readonly method: HttpMethod;
  /** The caller's headers; the tool adds its own per hop. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

export interface HopSettings {
  readonly guard: AddressGuard;
  readonly resolver: Resolver;
  readonly signal: AbortSignal;
  readonly idempotencyKey: string;
}

export function destinationOf(url: URL): Destination {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host, port };
}

/**
 * Sends one request and resolves with the response head; the body is still unread. The
 * guard decides before any socket exists: here for IP literals, in the lookup for names.
 * No agent: a pooled socket would skip the lookup, and so the guard.
 */
export function sendHop(hop: Hop, settings: HopSettings): Promise<http.IncomingMessage> {
  const destination = destinationOf(hop.url);
  const refusal = checkLiteralHost(settings.guard, destination);
  if (refusal) return Promise.reject(refusal);
  const client = hop.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(hop.url, {
      method: hop.method,
      headers: hopHeaders(hop.headers, hop.method, hop.body, settings.idempotencyKey),
      agent: false,
      lookup: guardedLookup(settings.guard, destination, settings.resolver),
      signal: settings.signal,
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end(hop.body);
  });
}
