import { Embedder } from './embedder';
import { EmbeddingConfig } from './embedding.config';
import { LocalHashEmbedder } from './local-hash-embedder';
import { OpenAiEmbedder, OpenAiEmbedderOptions } from './openai-embedder';

/** Where an OpenAI-compatible embedder sends its requests, and with which key. */
export function openAiEmbedderOptions(config: EmbeddingConfig): OpenAiEmbedderOptions | undefined {
  if (config.EMBEDDING_MODEL === undefined || config.EMBEDDING_DIMENSIONS === undefined) return undefined;
  const baseUrl = config.EMBEDDING_BASE_URL ?? config.LLM_BASE_URL;
  // The LLM's key goes only to the LLM's server, never to another host named for embeddings.
  const sameServerAsLlm = config.EMBEDDING_BASE_URL === undefined || config.EMBEDDING_BASE_URL === config.LLM_BASE_URL;
  const apiKey = config.EMBEDDING_API_KEY ?? (sameServerAsLlm ? config.LLM_API_KEY : undefined);
  return {
    model: config.EMBEDDING_MODEL,
    dimensions: config.EMBEDDING_DIMENSIONS,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(apiKey === undefined ? {} : { apiKey }),
    timeoutMs: config.EMBEDDING_TIMEOUT_MS,
    batchSize: config.EMBEDDING_BATCH_SIZE,
    requestDimensions: config.EMBEDDING_SEND_DIMENSIONS,
  };
}

/** The configured embeddings model when there is one, else the local deterministic embedder (offline). */
export function createEmbedder(config: EmbeddingConfig): Embedder {
  const options = openAiEmbedderOptions(config);
  return options === undefined ? new LocalHashEmbedder() : new OpenAiEmbedder(options);
}
