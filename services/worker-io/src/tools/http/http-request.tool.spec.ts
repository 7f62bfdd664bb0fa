import { ToolError } from '@agentos/worker-kit';
import { LookupAddress } from 'node:dns';
import { TestServer, unusedPort } from '../testing/test-server';
import { expectToolError, runTool } from '@agentos/test-kit';
import { Resolver } from './guarded-lookup';
import { HttpRequestTool, HttpRequestToolOptions } from './http-request.tool';

const LIMITS = { maxTimeoutMs: 5_000, maxResponseBytes: 10_000 };

/** A resolver answering from a table; anything else fails like DNS would. Nothing leaves the machine. */
function fakeDns(table: Record<string, readonly LookupAddress[]>): Resolver & jest.Mock {
  return jest.fn(async (hostname: string) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses;
  });
}

describe('HttpRequestTool (http.request)', () => {
  let server: TestServer;
  let tool: HttpRequestTool;

  const toolWith = (options: Partial<HttpRequestToolOptions>): HttpRequestTool =>
    new HttpRequestTool({ ...LIMITS, allowedHosts: [`127.0.0.1:${server.port}`], ...options });

  beforeEach(async () => {
    server = await TestServer.start();
    tool = toolWith({});
  });
  afterEach(() => server.close());

  describe('requests and responses', () => {
    it('GETs text, without an Idempotency-Key', async () => {
      server.handle((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('hello'));
      const output = await runTool(tool, { url: server.url('/greeting?x=1') });
      expect(output).toMatchObject({ status: 200, body: 'hello', bytes: 5 });
      expect(output.headers['content-type']).toBe('text/plain');
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({ method: 'GET', url: '/greeting?x=1' });
      expect(server.requests[0]!.headers['idempotency-key']).toBeUndefined();
    });

    it('parses a JSON response', async () => {
      server.handle((_request, response) =>
        response.writeHead(200, { 'content-type': 'application/problem+json; charset=utf-8' }).end('{"a":[1,{"b":null}]}'),
      );
      await expect(runTool(tool, { url: server.url() })).resolves.toMatchObject({ body: { a: [1, { b: null }] } });
    });

    it('returns JSON as text when asked to', async () => {
      server.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}'));
      await expect(runTool(tool, { url: server.url(), responseType: 'text' })).resolves.toMatchObject({ body: '{"a":1}' });
    });

    it('parses JSON without a JSON content type when asked to', async () => {
      server.handle((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('[1,2]'));
      await expect(runTool(tool, { url: server.url(), responseType: 'json' })).resolves.toMatchObject({ body: [1, 2] });
    });

    it('fails with logic_error when JSON was asked for and the body is not JSON', async () => {
      server.handle((_request, response) => response.writeHead(200).end('<html>'));
      await expectToolError(runTool(tool, { url: server.url(), responseType: 'json' }), 'logic_error');
    });

    it('falls back to text when a JSON content type lies', async () => {
      server.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('not json'));
      await expect(runTool(tool, { url: server.url() })).resolves.toMatchObject({ body: 'not json' });
    });

    it('POSTs JSON with the Idempotency-Key of the task', async () => {
      server.handle((_request, response) => response.writeHead(201, { 'content-type': 'application/json' }).end('{"id":7}'));
      const output = await runTool(
        tool,
        { url: server.url('/items'), method: 'POST', json: { name: 'x' }, headers: { 'X-Trace': 'abc' } },
        { idempotencyKey: 'goal-1/task-1' },
      );
      expect(output).toMatchObject({ status: 201, body: { id: 7 } });
      const received = server.requests[0]!;
      expect(received.method).toBe('POST');
      expect(received.body).toBe('{"name":"x"}');
      expect(received.headers).toMatchObject({
        'idempotency-key': 'goal-1/task-1',
        'content-type': 'application/json',
        'content-length': '12',
        'x-trace': 'abc',
      });
    });

    it('sends a text body and keeps the caller’s content type', async () => {
      await runTool(tool, { url: server.url(), method: 'PUT', body: 'héllo', headers: { 'Content-Type': 'text/plain' } });
      expect(server.requests[0]).toMatchObject({ method: 'PUT', body: 'héllo' });
      expect(server.requests[0]!.headers).toMatchObject({ 'content-type': 'text/plain', 'content-length': '6', 'idempotency-key': 'test-key' });
    });

    it('sends the Idempotency-Key on DELETE but not on HEAD', async () => {
      await runTool(tool, { url: server.url(), method: 'DELETE' });
      await runTool(tool, { url: server.url(), method: 'HEAD' });
      expect(server.requests.map((request) => [request.method, request.headers['idempotency-key']])).toEqual([
        ['DELETE', 'test-key'],
        ['HEAD', undefined],
      ]);
    });

    it('reads no body for HEAD, whatever Content-Length says', async () => {
      server.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json', 'content-length': '50000' }).end());
      await expect(runTool(tool, { url: server.url(), method: 'HEAD' })).resolves.toMatchObject({
        status: 200,
        headers: { 'content-length': '50000' },
        body: null,
        bytes: 0,
      });
    });

    it('joins repeated response headers', async () => {
      server.handle((_request, response) => {
        response.setHeader('set-cookie', ['a=1', 'b=2']);
        response.end();
      });
      await expect(runTool(tool, { url: server.url() })).resolves.toMatchObject({ body: '', headers: { 'set-cookie': 'a=1, b=2' } });
    });
  });

  describe('failure statuses', () => {
    it('429 is rate_limited, with Retry-After in seconds', async () => {
      server.handle((_request, response) => response.writeHead(429, { 'retry-after': '7' }).end());
      const error = await expectToolError(runTool(tool, { url: server.url() }), 'rate_limited');
      expect(error.toTaskError()).toMatchObject({ code: 'rate_limited', retriable: true, retryAfterMs: 7000, details: { status: 429 } });
    });

    it('429 with Retry-After as an HTTP date', async () => {
      const inAMinute = new Date(Date.now() + 60_000).toUTCString();
      server.handle((_request, response) => response.writeHead(429, { 'retry-after': inAMinute }).end());
      const error = await expectToolError(runTool(tool, { url: server.url() }), 'rate_limited');
      expect(error.retryAfterMs).toBeGreaterThan(50_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    });

    it.each([503, 500, 408])('%s is transient', async (status) => {
      server.handle((_request, response) => response.writeHead(status).end('try later'));
      const error = await expectToolError(runTool(tool, { url: server.url() }), 'transient');
      expect(error.toTaskError()).toMatchObject({ retriable: true, details: { status } });
    });

    it.each([404, 400, 403])('%s is a logic_error with the status and a preview of the body', async (status) => {
      server.handle((_request, response) => response.writeHead(status).end('x'.repeat(5000)));
      const error = await expectToolError(runTool(tool, { url: server.url() }), 'logic_error');
      expect(error.details).toEqual({ status, body: 'x'.repeat(1024) });
      expect(error.retriable).toBe(false);
    });
  });

  describe('limits, timeouts and cancellation', () => {
    it('stops reading a response declared larger than the limit', async () => {
      server.handle((_request, response) => response.writeHead(200, { 'content-length': '2000' }).end('y'.repeat(2000)));
      const error = await expectToolError(runTool(tool, { url: server.url(), maxResponseBytes: 100 }), 'logic_error');
      expect(error.details).toEqual({ limitBytes: 100 });
    });

    it('stops reading a streamed response once it passes the limit', async () => {
      server.handle((_request, response) => {
        response.writeHead(200);
        response.write('z'.repeat(80));
        response.write('z'.repeat(80));
      });
      const error = await expectToolError(runTool(tool, { url: server.url(), maxResponseBytes: 100 }), 'logic_error');
      expect(error.details).toEqual({ limitBytes: 100 });
    });

    it('accepts a response exactly at the limit', async () => {
      server.handle((_request, response) => response.end('q'.repeat(100)));
      await expect(runTool(tool, { url: server.url(), maxResponseBytes: 100 })).resolves.toMatchObject({ bytes: 100 });
    });

    it('times out when the server never answers', async () => {
      server.handle(() => undefined);
      const error = await expectToolError(runTool(tool, { url: server.url(), timeoutMs: 50 }), 'timeout');
      expect(error.message).toMatch(/within 50 ms/);
    });

    it('times out when the body never finishes', async () => {
      server.handle((_request, response) => response.writeHead(200).write('partial'));
      await expectToolError(runTool(tool, { url: server.url(), timeoutMs: 50 }), 'timeout');
    });

    it('aborts as cancelled when the task signal fires mid-request', async () => {
      server.handle(() => undefined);
      const controller = new AbortController();
      const running = runTool(tool, { url: server.url() }, { signal: controller.signal });
      await server.nextRequest();
      controller.abort();
      await expectToolError(running, 'cancelled');
    });

    it('keeps the reason the executor aborted with', async () => {
      server.handle(() => undefined);
      const controller = new AbortController();
      const running = runTool(tool, { url: server.url() }, { signal: controller.signal });
      await server.nextRequest();
      controller.abort(new ToolError('timeout', 'http.request exceeded its 30000 ms deadline'));
      const error = await expectToolError(running, 'timeout');
      expect(error.message).toBe('http.request exceeded its 30000 ms deadline');
    });

    it('does not start when the signal has already fired', async () => {
      const controller = new AbortController();
      controller.abort();
      await expectToolError(runTool(tool, { url: server.url() }, { signal: controller.signal }), 'cancelled');
      expect(server.connections).toBe(0);
    });

    it('reports a refused connection as transient', async () => {
      const port = await unusedPort();
      const closed = toolWith({ allowedHosts: [`127.0.0.1:${port}`] });
      await expectToolError(runTool(closed, { url: `http://127.0.0.1:${port}/` }), 'transient');
    });

    it('reports a DNS failure as transient', async () => {
      const withDns = toolWith({ resolver: fakeDns({}), allowedHosts: ['missing.test'] });
      const error = await expectToolError(runTool(withDns, { url: 'http://missing.test/' }), 'transient');
      expect(error.message).toMatch(/ENOTFOUND/);
    });
  });

  describe('address guard', () => {
    afterEach(() => {
      expect(server.connections).toBe(0);
      expect(server.requests).toHaveLength(0);
    });

    it('refuses the test server itself when it is not allowlisted', async () => {
      const strict = toolWith({ allowedHosts: [] });
      const error = await expectToolError(runTool(strict, { url: server.url() }), 'invalid_input');
      expect(error.message).toBe('refusing to connect to 127.0.0.1: loopback address');
    });

    it('refuses the allowlisted host on another port', async () => {
      const port = await unusedPort();
      await expectToolError(runTool(tool, { url: `http://127.0.0.1:${port}/` }), 'invalid_input');
    });

    it.each([
      ['localhost', () => `http://localhost:${server.port}/`, /localhost is a loopback address/],
      ['[::1]', () => `http://[::1]:${server.port}/`, /::1: loopback address/],
      ['the metadata service', () => 'http://169.254.169.254/latest/meta-data/', /cloud metadata address/],
      ['a private address', () => 'http://10.0.0.1/', /10\.0\.0\.1: private address/],
      ['an IPv4-mapped loopback address', () => `http://[::ffff:127.0.0.1]:${server.port}/`, /loopback address \(IPv4-mapped 127\.0\.0\.1\)/],
      ['a loopback address spelled as a number', () => `http://2130706433:${server.port}/`, /127\.0\.0\.1: loopback/],
      ['the unspecified address', () => `http://0.0.0.0:${server.port}/`, /unspecified address/],
    ])('refuses %s before connecting', async (_label, url, message) => {
      const strict = toolWith({ allowedHosts: [], resolver: fakeDns({}) });
      const error = await expectToolError(runTool(strict, { url: url() }), 'invalid_input');
      expect(error.message).toMatch(message);
    });

    it('refuses a name that resolves to a private address (DNS rebinding)', async () => {
      const resolver = fakeDns({ 'rebind.test': [{ address: '10.0.0.5', family: 4 }] });
      const error = await expectToolError(runTool(toolWith({ allowedHosts: [], resolver }), { url: 'http://rebind.test/' }), 'invalid_input');
      expect(error.message).toBe('refusing to connect to rebind.test (10.0.0.5): private address');
      expect(resolver).toHaveBeenCalledWith('rebind.test');
    });

    it('refuses a name with one public and one loopback address', async () => {
      const resolver = fakeDns({
        'mixed.test': [
          { address: '93.184.216.34', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ],
      });
      const error = await expectToolError(
        runTool(toolWith({ allowedHosts: [], resolver }), { url: `http://mixed.test:${server.port}/` }),
        'invalid_input',
      );
      expect(error.message).toMatch(/127\.0\.0\.1\): loopback address/);
    });

    it.each([
      ['an unsupported scheme', { url: 'ftp://example.com/file' }],
      ['a URL that does not parse', { url: 'http://exa mple.com/' }],
      ['credentials in the URL', { url: 'http://user:pass@example.com/' }],
      ['both body and json', { url: 'http://example.com/', method: 'POST', body: 'a', json: { a: 1 } }],
      ['a body on GET', { url: 'http://example.com/', body: 'a' }],
      ['an unknown method', { url: 'http://example.com/', method: 'TRACE' }],
      ['a URL too long', { url: `http://example.com/${'a'.repeat(8192)}` }],
      ['a Host header', { url: 'http://example.com/', headers: { Host: 'internal' } }],
      ['a hop-by-hop header', { url: 'http://example.com/', headers: { 'Transfer-Encoding': 'chunked' } }],
      ['a Connection header', { url: 'http://example.com/', headers: { connection: 'close' } }],
      ['its own Idempotency-Key', { url: 'http://example.com/', method: 'POST', headers: { 'Idempotency-Key': 'x' } }],
      ['the same header twice', { url: 'http://example.com/', headers: { Accept: 'a', accept: 'b' } }],
      ['a header value with CR LF', { url: 'http://example.com/', headers: { 'X-A': 'a\r\nHost: evil' } }],
      ['a header name that is not a token', { url: 'http://example.com/', headers: { 'X A': 'a' } }],
      ['a non-string header value', { url: 'http://example.com/', headers: { 'X-A': 1 } }],
      ['too many headers', { url: 'http://example.com/', headers: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`x-${i}`, 'v'])) }],
      ['json that is not an object', { url: 'http://example.com/', method: 'POST', json: [1, 2] }],
      ['timeoutMs above the configured maximum', { url: 'http://example.com/', timeoutMs: LIMITS.maxTimeoutMs + 1 }],
      ['maxResponseBytes above the configured maximum', { url: 'http://example.com/', maxResponseBytes: LIMITS.maxResponseBytes + 1 }],
      ['an unknown responseType', { url: 'http://example.com/', responseType: 'xml' }],
      ['an unknown field', { url: 'http://example.com/', followRedirects: true }],
    ])('refuses input with %s', async (_label, input) => {
      const resolver = fakeDns({});
      await expectToolError(runTool(toolWith({ resolver }), input), 'invalid_input');
      expect(resolver).not.toHaveBeenCalled();
    });
  });

  it('connects to an allowlisted name through the injected resolver', async () => {
    server.handle((request, response) => response.end(request.headers.host));
    const resolver = fakeDns({ 'api.internal.test': [{ address: '127.0.0.1', family: 4 }] });
    const allowed = toolWith({ allowedHosts: [`api.internal.test:${server.port}`], resolver });
    const output = await runTool(allowed, { url: `http://api.internal.test:${server.port}/` });
    expect(output.body).toBe(`api.internal.test:${server.port}`);
  });

  describe('redirects', () => {
    beforeEach(() => {
      server.handle((request, response) => {
        if (request.url === '/start') response.writeHead(302, { location: '/end' }).end();
        else if (request.url === '/see-other') response.writeHead(303, { location: '/end' }).end();
        else if (request.url === '/loop') response.writeHead(307, { location: '/loop' }).end();
        else if (request.url === '/to-private') response.writeHead(302, { location: 'http://10.0.0.1/' }).end();
        else if (request.url === '/to-file') response.writeHead(302, { location: 'file:///etc/passwd' }).end();
        else response.end(`${request.method} ${request.url}`);
      });
    });

    it('returns a redirect as is by default', async () => {
      const output = await runTool(tool, { url: server.url('/start') });
      expect(output).toMatchObject({ status: 302, headers: { location: '/end' } });
      expect(server.requests).toHaveLength(1);
    });

    it('follows redirects when configured', async () => {
      const following = toolWith({ maxRedirects: 2 });
      await expect(runTool(following, { url: server.url('/start') })).resolves.toMatchObject({ status: 200, body: 'GET /end' });
    });

    it('turns a POST into a GET without body or key after 303', async () => {
      const following = toolWith({ maxRedirects: 2 });
      const output = await runTool(following, { url: server.url('/see-other'), method: 'POST', json: { a: 1 } });
      expect(output.body).toBe('GET /end');
      expect(server.requests[1]!.headers['idempotency-key']).toBeUndefined();
      expect(server.requests[1]!.headers['content-type']).toBeUndefined();
    });

    it('re-checks every hop with the guard', async () => {
      const following = toolWith({ maxRedirects: 2 });
      const error = await expectToolError(runTool(following, { url: server.url('/to-private') }), 'invalid_input');
      expect(error.message).toBe('refusing to connect to 10.0.0.1: private address');
    });

    it('refuses a redirect to another scheme', async () => {
      await expectToolError(runTool(toolWith({ maxRedirects: 2 }), { url: server.url('/to-file') }), 'logic_error');
    });

    it('gives up after maxRedirects', async () => {
      const error = await expectToolError(runTool(toolWith({ maxRedirects: 3 }), { url: server.url('/loop') }), 'logic_error');
      expect(error.details).toEqual({ maxRedirects: 3 });
      expect(server.requests).toHaveLength(4);
    });
  });
});
