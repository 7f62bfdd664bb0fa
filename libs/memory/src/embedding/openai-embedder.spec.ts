import { AgentOsError } from '@agentos/runtime';
import { EmbeddingError, EmbeddingErrorCode } from './embedding-error';
import { OpenAiEmbedder, OpenAiEmbedderOptions } from './openai-embedder';
import { embeddingsList, EmbeddingsRequest, EmbeddingsServer } from './testing/embeddings-server';

const DIMENSIONS = 4;

/** A vector that tells which text it came from: [length, first char code, 3, 4] (not unit length). */
function rawVector(text: string): number[] {
  return [text.length, text.charCodeAt(0) || 1, 3, 4];
}

function unit(values: readonly number[]): number[] {
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
  return values.map((value) => value / norm);
}

/** Answers every request with rawVector of each input, in input order. */
function echoVectors(request: EmbeddingsRequest) {
  const input = request.body.input as string[];
  return embeddingsList(String(request.body.model), input.map(rawVector));
}

async function failureOf(promise: Promise<unknown>): Promise<EmbeddingError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof EmbeddingError)) throw new Error(`expected an EmbeddingError, got ${String(error)}`);
  return error;
}

describe('OpenAiEmbedder against an OpenAI-compatible server', () => {
  let server: EmbeddingsServer;

  beforeEach(async () => {
    server = await EmbeddingsServer.start(echoVectors);
  });

  afterEach(async () => {
    await server.close();
  });

  const embedder = (options: Partial<OpenAiEmbedderOptions> = {}) =>
    new OpenAiEmbedder({ baseUrl: server.baseUrl, model: 'test-embed', dimensions: DIMENSIONS, ...options });

  it('returns one unit vector per text, in order, from the model named, asking for floats', async () => {
    const texts = ['sum 19 and 23', 'read a file'];
    const vectors = await embedder().embed(texts);

    expect(vectors.map((vector) => [...vector])).toEqual(texts.map((text) => unit(rawVector(text)).map((value) => expect.closeTo(value, 6))));
    expect(vectors[0]).toBeInstanceOf(Float32Array);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/v1/embeddings' });
    expect(server.requests[0]!.body).toEqual({ model: 'test-embed', input: texts, encoding_format: 'float' });
  });

  it('sends no Authorization header without a key, and the key as a bearer token with one', async () => {
    await embedder().embed(['a']);
    await embedder({ apiKey: 'sk-test-123' }).embed(['a']);
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
    expect(server.requests[1]!.headers.authorization).toBe('Bearer sk-test-123');
  });

  it('splits long lists into batches and keeps the order', async () => {
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const vectors = await embedder({ batchSize: 2 }).embed(texts);
    expect(server.requests.map((request) => request.body.input)).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expect(vectors.map((vector) => [...vector])).toEqual(texts.map((text) => unit(rawVector(text)).map((value) => expect.closeTo(value, 6))));
  });

  it('puts vectors listed out of order back in input order', async () => {
    server.enqueue(embeddingsList('test-embed', [[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0]], [2, 0, 1]));
    const vectors = await embedder().embed(['x', 'y', 'z']);
    expect(vectors.map((vector) => [...vector])).toEqual([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]);
  });

  it('asks for shortened vectors when told to, and names the space after the length', async () => {
    const shortened = embedder({ requestDimensions: true });
    await shortened.embed(['a']);
    expect(server.requests[0]!.body.dimensions).toBe(DIMENSIONS);
    expect(shortened.model).toBe(`test-embed@${DIMENSIONS}`);
    expect(embedder().model).toBe('test-embed');
  });

  it('sends nothing for no texts', async () => {
    expect(await embedder().embed([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  describe('failures', () => {
    it.each<[string, number, EmbeddingErrorCode, boolean, Record<string, string>]>([
      ['rate limited', 429, 'embedding_rate_limited', true, { 'retry-after-ms': '1500' }],
      ['a server error', 503, 'embedding_unavailable', true, {}],
      ['a request timeout', 408, 'embedding_timeout', true, {}],
      ['a bad request', 400, 'embedding_request_invalid', false, {}],
      ['a wrong key', 401, 'embedding_request_invalid', false, {}],
      ['an unknown model', 404, 'embedding_request_invalid', false, {}],
    ])('classifies %s (HTTP %i) as %s, retriable %p', async (_, status, code, retriable, headers) => {
      server.enqueue({ kind: 'status', status, headers, message: `scripted ${status}` });
      const error = await failureOf(embedder().embed(['a']));
      expect(error).toBeInstanceOf(AgentOsError);
      expect(error).toMatchObject({ code, retriable, details: { status } });
      expect(error.message).toContain(`scripted ${status}`);
      if (status === 429) expect(error.details.retryAfterMs).toBe(1_500);
    });

    it('never repeats the key a server echoes back', async () => {
      server.enqueue({ kind: 'status', status: 401, message: 'invalid key sk-secret-999 for this project' });
      const error = await failureOf(embedder({ apiKey: 'sk-secret-999' }).embed(['a']));
      expect(error.message).toContain('[redacted]');
      expect(error.message).not.toContain('sk-secret-999');
      expect(JSON.stringify(error.context)).not.toContain('sk-secret-999');
    });

    it('times out a server that does not answer', async () => {
      server.enqueue({ kind: 'hang' });
      const error = await failureOf(embedder({ timeoutMs: 100 }).embed(['a']));
      expect(error).toMatchObject({ code: 'embedding_timeout', retriable: true });
      expect(error.message).toContain('100 ms');
    });

    it('reports a server that cannot be reached as unavailable', async () => {
      const baseUrl = server.baseUrl;
      await server.close();
      const error = await failureOf(new OpenAiEmbedder({ baseUrl, model: 'test-embed', dimensions: DIMENSIONS }).embed(['a']));
      expect(error).toMatchObject({ code: 'embedding_unavailable', retriable: true });
      server = await EmbeddingsServer.start();
    });

    it.each<[string, unknown]>([
      ['vectors of another length', { object: 'list', data: [{ index: 0, embedding: [1, 2, 3] }] }],
      ['fewer vectors than texts', { object: 'list', data: [] }],
      ['a zero vector', { object: 'list', data: [{ index: 0, embedding: [0, 0, 0, 0] }] }],
      ['an index out of range', { object: 'list', data: [{ index: 3, embedding: [1, 0, 0, 0] }] }],
      ['a vector that is not numbers', { object: 'list', data: [{ index: 0, embedding: 'AAAA' }] }],
      ['a number too large for float32', { object: 'list', data: [{ index: 0, embedding: [1e39, 0, 0, 0] }] }],
    ])('refuses an answer with %s as bad output (not retriable)', async (_, body) => {
      server.enqueue({ kind: 'json', body });
      const error = await failureOf(embedder().embed(['a']));
      expect(error).toMatchObject({ code: 'embedding_bad_output', retriable: false });
    });

    it('refuses two vectors for the same input', async () => {
      server.enqueue(embeddingsList('m', [[1, 0, 0, 0], [0, 1, 0, 0]], [0, 0]));
      const error = await failureOf(embedder().embed(['a', 'b']));
      expect(error).toMatchObject({ code: 'embedding_bad_output' });
      expect(error.message).toContain('index 0');
    });

    it('names the configured length when the model answers another', async () => {
      server.enqueue(embeddingsList('m', [[1, 2, 3]]));
      const error = await failureOf(embedder().embed(['a']));
      expect(error.message).toContain(`3 numbers, expected ${DIMENSIONS} numbers`);
    });

    it('treats a 200 that is not an embeddings list (a proxy page) as unavailable', async () => {
      server.enqueue({ kind: 'json', body: { hello: 'proxy' } });
      const error = await failureOf(embedder().embed(['a']));
      expect(error).toMatchObject({ code: 'embedding_unavailable', retriable: true });
    });
  });

  it('rejects impossible options at construction', () => {
    expect(() => embedder({ dimensions: 0 })).toThrow(RangeError);
    expect(() => embedder({ batchSize: 5_000 })).toThrow(RangeError);
    expect(() => embedder({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => embedder({ model: ' ' })).toThrow(RangeError);
  });
});
