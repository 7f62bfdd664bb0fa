import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One effect the API applied: what was asked, and the response every request with its key gets. */
export interface AppliedEffect {
  readonly key: string;
  readonly body: string;
  /** The effect's sequence number at this API, in application order: it cannot be guessed ahead. */
  readonly receipt: string;
  readonly appliedAt: number;
  /** Requests that carried this key, the first included. */
  requests: number;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * A local HTTP API that behaves like an idempotent payments-style endpoint: `POST /effects`
 * with an `Idempotency-Key` applies its effect once per key and answers after a short delay
 * (20-300 ms, fixed per key), so a worker killed mid-request leaves the effect applied and
 * unanswered; a repeat of the key gets the stored response and is counted as a duplicate
 * absorbed; a repeat with another body is a conflict (409). It keeps its own books,
 * independent of the services under test.
 */
export class IdempotentEffectsServer {
  readonly effects = new Map<string, AppliedEffect>();
  requests = 0;
  duplicatesAbsorbed = 0;
  conflicts = 0;
  withoutKey = 0;
  private readonly answered = new Map<string, Promise<void>>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<IdempotentEffectsServer> {
    const server = createServer();
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const api = new IdempotentEffectsServer(server, (server.address() as AddressInfo).port);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      api.handle(request, response).catch((error: Error) => {
        if (!response.headersSent) response.writeHead(500).end(error.message);
      });
    });
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/effects`;
  }

  /** The allow-list entry that lets the io worker's http.request reach this loopback address. */
  get allowedHost(): string {
    return `127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests++;
    const body = await readBody(request);
    if (request.method !== 'POST' || request.url !== '/effects') return void response.writeHead(404).end();
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') {
      this.withoutKey++;
      return void response.writeHead(400).end('Idempotency-Key is required');
    }
    const known = this.effects.get(key);
    if (known) {
      known.requests++;
      if (known.body !== body) {
        this.conflicts++;
        return void response.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'key reused with another body' }));
      }
      this.duplicatesAbsorbed++;
      // A repeat that arrives while the first is still being answered waits for it, as Stripe's API does.
      await this.answered.get(key);
      return this.respond(response, known);
    }
    const effect: AppliedEffect = { key, body, receipt: `rcpt-${this.effects.size + 1}`, appliedAt: Date.now(), requests: 1 };
    this.effects.set(key, effect);
    const answered = delay(delayFor(key));
    this.answered.set(key, answered);
    await answered;
    this.respond(response, effect);
  }

  private respond(response: ServerResponse, effect: AppliedEffect): void {
    // The caller may be gone (a killed worker): the write then goes nowhere, which is the point.
    if (response.destroyed) return;
    const parsed = JSON.parse(effect.body) as { goal?: unknown; total?: unknown };
    response
      .writeHead(201, { 'content-type': 'application/json' })
      .end(JSON.stringify({ receipt: effect.receipt, goal: parsed.goal ?? null, total: parsed.total ?? null }));
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

/** 20-300 ms, the same every time for a key. */
function delayFor(key: string): number {
  return 20 + (createHash('sha256').update(key).digest().readUInt16BE(0) % 281);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
