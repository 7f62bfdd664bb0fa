import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the server received, its JSON body parsed. */
export interface EmbeddingsRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** What to answer one `POST /v1/embeddings` with. */
export type EmbeddingsAnswer =
  /** 200 with this JSON body, as given (for malformed answers). */
  | { readonly kind: 'json'; readonly body: unknown }
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly message?: string }
  /** Never answers: the request ends when the client gives up or the server closes. */
  | { readonly kind: 'hang' };

/** How the server answers a request nothing was queued for. */
export type EmbeddingsResponder = (request: EmbeddingsRequest) => EmbeddingsAnswer;

/** A well-formed embeddings list: `vectors[i]` for input i, listed in the given order of indexes. */
export function embeddingsList(model: string, vectors: readonly (readonly number[])[], order: readonly number[] = vectors.map((_, i) => i)): EmbeddingsAnswer {
  return {
    kind: 'json',
    body: {
      object: 'list',
      model,
      data: order.map((index) => ({ object: 'embedding', index, embedding: vectors[index] })),
      usage: { prompt_tokens: vectors.length, total_tokens: vectors.length },
    },
  };
}

/**
 * A real OpenAI-compatible embeddings server for tests, on 127.0.0.1 and a free port. Answers
 * with queued answers first, then with the responder (by default: 500, an unexpected request).
 * Records every request.
 */
export class EmbeddingsServer {
  readonly requests: EmbeddingsRequest[] = [];
  private readonly queue: EmbeddingsAnswer[] = [];

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly responder: EmbeddingsResponder,
  ) {}

  static async start(responder: EmbeddingsResponder = () => ({ kind: 'status', status: 500, message: 'nothing queued' })): Promise<EmbeddingsServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const instance = new EmbeddingsServer(server, `http://127.0.0.1:${port}/v1`, responder);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => instance.handle(request, response));
    return instance;
  }

  enqueue(...answers: EmbeddingsAnswer[]): this {
    this.queue.push(...answers);
    return this;
  }

  /** Stops listening and destroys every connection, hanging ones included. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        // Recorded with an empty body; the route check below answers it.
      }
      const recorded: EmbeddingsRequest = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      this.requests.push(recorded);
      if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
        this.answer(response, { kind: 'status', status: 404, message: `no route ${request.method} ${request.url}` });
        return;
      }
      this.answer(response, this.queue.shift() ?? this.responder(recorded));
    });
  }

  private answer(response: ServerResponse, answer: EmbeddingsAnswer): void {
    if (answer.kind === 'hang') return;
    const status = answer.kind === 'json' ? 200 : answer.status;
    const headers = answer.kind === 'status' ? answer.headers ?? {} : {};
    const body = answer.kind === 'json' ? JSON.stringify(answer.body) : JSON.stringify({ error: { message: answer.message ?? `status ${status}`, type: 'test', code: null } });
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
    response.end(body);
  }
}
