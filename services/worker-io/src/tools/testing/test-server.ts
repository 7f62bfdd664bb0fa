import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type TestHandler = (request: RecordedRequest, response: ServerResponse) => void;

/**
 * A real HTTP server on 127.0.0.1 and a random port that records what reaches it. Tests
 * wait on `nextRequest()` instead of sleeping.
 */
export class TestServer {
  readonly requests: RecordedRequest[] = [];
  connections = 0;
  private handler: TestHandler = (_request, response) => response.end();
  private waiters: Array<(request: RecordedRequest) => void> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<TestServer> {
    const server = createServer();
    const testServer = new TestServer(server);
    server.on('connection', () => testServer.connections++);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => testServer.receive(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return testServer;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  handle(handler: TestHandler): void {
    this.handler = handler;
  }

  nextRequest(): Promise<RecordedRequest> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(recorded);
      this.handler(recorded, response);
      for (const waiter of this.waiters.splice(0)) waiter(recorded);
    });
  }
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
