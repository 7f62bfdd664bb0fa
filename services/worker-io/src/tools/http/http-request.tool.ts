import { DtoClass, invalidInput, logicError, Tool, ToolContext, ToolError } from '@agentos/worker-kit';
import type { IncomingMessage } from 'node:http';
import { AddressGuard, AddressRefusedError } from './address-guard';
import { Resolver, systemResolver } from './guarded-lookup';
import { HttpRequestInput, httpRequestInputDto, HttpRequestOutput, ResponseType } from './http-request.dto';
import { toolErrorForNetworkFailure } from './network-errors';
import { redirectHop } from './redirects';
import { checkCallerHeaders, hasHeader, isUnsafeMethod } from './request-headers';
import { readBody, ResponseTooLargeError } from './response-body';
import { flattenHeaders, interpretBody } from './response-content';
import { Hop, HopSettings, sendHop } from './send-hop';
import { errorForStatus, isSuccessStatus } from './status-errors';

export interface HttpRequestToolOptions {
  /** Allow private, loopback, link-local and CGNAT addresses. Default false. */
  readonly allowPrivateNetworks?: boolean;
  /** `host` or `host:port` entries reachable even when private or loopback. */
  readonly allowedHosts?: readonly string[];
  /** Longest a request may take (and the default), redirects included. */
  readonly maxTimeoutMs: number;
  /** Largest response body read (and the default). */
  readonly maxResponseBytes: number;
  /** Redirects followed, each re-checked by the guard. Default 0: a 3xx is returned as is. */
  readonly maxRedirects?: number;
  /** Host name resolution; default the system resolver (dns.lookup). */
  readonly resolver?: Resolver;
}

const ERROR_PREVIEW_BYTES = 1024;

export class HttpRequestTool implements Tool<HttpRequestInput, HttpRequestOutput> {
  readonly name = 'http.request';
  readonly description =
    'Sends one HTTP(S) request to a public address and returns status, headers and body (JSON parsed when the response is JSON).';
  readonly input: DtoClass<HttpRequestInput>;
  readonly output = HttpRequestOutput;
  readonly sideEffects = true;
  private readonly guard: AddressGuard;
  private readonly resolver: Resolver;
  private readonly maxRedirects: number;

  constructor(private readonly options: HttpRequestToolOptions) {
    this.input = httpRequestInputDto(options);
    this.guard = new AddressGuard(options);
    this.resolver = options.resolver ?? systemResolver;
    this.maxRedirects = options.maxRedirects ?? 0;
  }

  async execute(input: HttpRequestInput, context: ToolContext): Promise<HttpRequestOutput> {
    const firstHop = planFirstHop(input);
    const timeoutMs = Math.min(input.timeoutMs ?? this.options.maxTimeoutMs, this.options.maxTimeoutMs);
    const limitBytes = Math.min(input.maxResponseBytes ?? this.options.maxResponseBytes, this.options.maxResponseBytes);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const settings: HopSettings = {
      guard: this.guard,
      resolver: this.resolver,
      signal: AbortSignal.any([context.signal, deadline.signal]),
      idempotencyKey: context.idempotencyKey,
    };
    let hop = firstHop;
    try {
      for (let redirects = 0; ; redirects++) {
        const response = await sendHop(hop, settings);
        const next = this.maxRedirects > 0 ? redirectHop(hop, response.statusCode ?? 0, response.headers.location) : undefined;
        if (next === undefined) return await toOutput(response, hop, limitBytes, input.responseType);
        response.destroy();
        if (redirects >= this.maxRedirects) {
          throw logicError(`more than ${this.maxRedirects} redirects`, { maxRedirects: this.maxRedirects });
        }
        hop = next;
      }
    } catch (error) {
      if (context.signal.aborted) throw abortedBy(context.signal.reason);
      if (deadline.signal.aborted) throw new ToolError('timeout', `no complete response from ${hop.url.origin} within ${timeoutMs} ms`);
      throw translateFailure(error, hop.url.origin);
    } finally {
      clearTimeout(timer);
    }
  }
}

function planFirstHop(input: HttpRequestInput): Hop {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw invalidInput('url is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidInput('url must use http or https');
  if (url.username || url.password) throw invalidInput('url must not carry credentials; send an Authorization header');
  const method = input.method ?? 'GET';
  if (input.body !== undefined && input.json !== undefined) throw invalidInput('give either body or json, not both');
  const headers = { ...(input.headers ?? {}) };
  checkCallerHeaders(headers);
  let body: Buffer | undefined;
  if (input.json !== undefined) {
    body = Buffer.from(JSON.stringify(input.json));
    if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
  } else if (input.body !== undefined) {
    body = Buffer.from(input.body, 'utf8');
  }
  if (body !== undefined && !isUnsafeMethod(method)) throw invalidInput(`${method} requests carry no body`);
  return { url, method, headers, body };
}

async function toOutput(
  response: IncomingMessage,
  hop: Hop,
  limitBytes: number,
  responseType: ResponseType | undefined,
): Promise<HttpRequestOutput> {
  const status = response.statusCode ?? 0;
  if (!isSuccessStatus(status)) {
    const preview = await readBody(response, Math.min(limitBytes, ERROR_PREVIEW_BYTES), 'truncate');
    throw errorForStatus(status, hop.url.origin, headerValue(response, 'retry-after'), preview.toString('utf8'));
  }
  // A HEAD response's Content-Length describes the GET body it leaves out.
  const bytes = hop.method === 'HEAD' ? Buffer.alloc(0) : await readBody(response, limitBytes, 'fail');
  response.destroy();
  return {
    status,
    headers: flattenHeaders(response.headers),
    body: interpretBody(bytes, headerValue(response, 'content-type'), responseType),
    bytes: bytes.length,
  };
}

function headerValue(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The executor aborts with a ToolError saying why (cancelled, deadline); keep it. */
function abortedBy(reason: unknown): ToolError {
  return reason instanceof ToolError ? reason : new ToolError('cancelled', 'http.request was aborted', { cause: reason });
}

function translateFailure(error: unknown, origin: string): unknown {
  if (error instanceof ToolError) return error;
  if (error instanceof AddressRefusedError) return invalidInput(error.message);
  if (error instanceof ResponseTooLargeError) {
    return logicError(`response from ${origin} is larger than ${error.limitBytes} bytes`, { limitBytes: error.limitBytes });
  }
  return toolErrorForNetworkFailure(error, origin) ?? error;
}
