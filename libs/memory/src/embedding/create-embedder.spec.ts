import { ConfigError, loadConfig } from '@agentos/runtime';
import { createEmbedder, openAiEmbedderOptions } from './create-embedder';
import { EmbeddingConfig } from './embedding.config';
import { LocalHashEmbedder } from './local-hash-embedder';
import { OpenAiEmbedder } from './openai-embedder';
import { embeddingsList, EmbeddingsServer } from './testing/embeddings-server';

const config = (env: Record<string, string>) => loadConfig(EmbeddingConfig, env);

describe('createEmbedder', () => {
  it('embeds locally when no embeddings model is configured, even with an LLM configured', () => {
    const embedder = createEmbedder(config({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_API_KEY: 'k' }));
    expect(embedder).toBeInstanceOf(LocalHashEmbedder);
    expect(embedder.model).toBe('local-hash-v1');
  });

  it('needs the vector length with a model', () => {
    expect(() => config({ EMBEDDING_MODEL: 'nomic-embed-text' })).toThrow(ConfigError);
    expect(() => config({ EMBEDDING_MODEL: 'nomic-embed-text' })).toThrow(/EMBEDDING_DIMENSIONS/);
    expect(() => config({ EMBEDDING_MODEL: 'm', EMBEDDING_DIMENSIONS: 'many' })).toThrow(/EMBEDDING_DIMENSIONS/);
  });

  it('uses the LLM server and its key unless told otherwise', () => {
    expect(openAiEmbedderOptions(config({ EMBEDDING_MODEL: 'm', EMBEDDING_DIMENSIONS: '768', LLM_BASE_URL: 'http://llm:8000/v1', LLM_API_KEY: 'llm-key' }))).toEqual({
      model: 'm',
      dimensions: 768,
      baseUrl: 'http://llm:8000/v1',
      apiKey: 'llm-key',
      timeoutMs: 30_000,
      batchSize: 128,
      requestDimensions: false,
    });
  });

  it('never sends the LLM key to another embeddings server', () => {
    const options = openAiEmbedderOptions(config({ EMBEDDING_MODEL: 'm', EMBEDDING_DIMENSIONS: '8', EMBEDDING_BASE_URL: 'http://other:9000/v1', LLM_BASE_URL: 'http://llm:8000/v1', LLM_API_KEY: 'llm-key' }));
    expect(options).toMatchObject({ baseUrl: 'http://other:9000/v1' });
    expect(options!.apiKey).toBeUndefined();
    const own = openAiEmbedderOptions(config({ EMBEDDING_MODEL: 'm', EMBEDDING_DIMENSIONS: '8', EMBEDDING_BASE_URL: 'http://other:9000/v1', EMBEDDING_API_KEY: 'emb-key', LLM_API_KEY: 'llm-key' }));
    expect(own!.apiKey).toBe('emb-key');
  });

  it('reads the other settings and keeps keys out of serialised config', () => {
    const loaded = config({ EMBEDDING_MODEL: 'text-embedding-3-small', EMBEDDING_DIMENSIONS: '256', EMBEDDING_SEND_DIMENSIONS: 'true', EMBEDDING_TIMEOUT_MS: '5000', EMBEDDING_BATCH_SIZE: '64', EMBEDDING_API_KEY: 'sk-secret' });
    expect(openAiEmbedderOptions(loaded)).toMatchObject({ requestDimensions: true, timeoutMs: 5_000, batchSize: 64, apiKey: 'sk-secret' });
    expect(JSON.stringify(loaded)).not.toContain('sk-secret');
    expect(() => config({ EMBEDDING_SEND_DIMENSIONS: 'maybe' })).toThrow(/EMBEDDING_SEND_DIMENSIONS/);
  });

  it('builds an embedder that reaches the configured server with the key', async () => {
    const server = await EmbeddingsServer.start((request) => embeddingsList(String(request.body.model), [[0, 3, 4]]));
    try {
      const embedder = createEmbedder(config({ EMBEDDING_MODEL: 'nomic-embed-text', EMBEDDING_DIMENSIONS: '3', LLM_BASE_URL: server.baseUrl, LLM_API_KEY: 'llm-key' }));
      expect(embedder).toBeInstanceOf(OpenAiEmbedder);
      expect(embedder.model).toBe('nomic-embed-text');
      const [vector] = await embedder.embed(['a goal']);
      expect([...vector!]).toEqual([0, expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
      expect(server.requests[0]!.headers.authorization).toBe('Bearer llm-key');
    } finally {
      await server.close();
    }
  });
});
