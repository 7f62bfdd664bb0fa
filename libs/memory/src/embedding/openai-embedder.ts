import OpenAI from 'openai';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import { classifyEmbeddingFailure } from './classify-embedding-failure';
import { Embedder } from './embedder';
import { EmbeddingError, isEmbeddingError } from './embedding-error';
import { normalizeInPlace } from './unit-vector';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const OPENAI_EMBEDDER_DEFAULT_TIMEOUT_MS = 30_000;
export const OPENAI_EMBEDDER_DEFAULT_BATCH_SIZE = 128;
/** OpenAI's own limit of inputs per request. */
const MAX_BATCH_SIZE = 2_048;

export interface OpenAiEmbedderOptions {
  /** The server's embeddings model, e.g. `text-embedding-3-small` or `nomic-embed-text`. */
  readonly model: string;
  /** Length of the model's vectors; every answer is checked against it. */
  readonly dimensions: number;
  /** Any OpenAI-compatible server (`http://127.0.0.1:11434/v1` for Ollama); OpenAI itself when unset. */
  readonly baseUrl?: string;
  /** Secret; local servers usually need none (then no Authorization header is sent). */
  readonly apiKey?: string;
  /** Per request, until the whole answer has arrived. */
  readonly timeoutMs?: number;
  /** Texts per request; longer lists are split and sent one request after another. */
  readonly batchSize?: number;
  /**
   * Sends `dimensions` with each request, for models that shorten their vectors on request
   * (OpenAI's text-embedding-3-*); most other servers reject or ignore it. The model name then
   * becomes `<model>@<dimensions>`, since shortened vectors are another space.
   */
  readonly requestDimensions?: boolean;
}

function positiveInteger(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new RangeError(`OpenAiEmbedder ${name} must be an integer in 1..${max}, got ${value}`);
  return value;
}

/**
 * `Embedder` over an OpenAI-compatible `POST /embeddings` (the `openai` SDK, its retries off:
 * failures come back as `EmbeddingError` with `retriable` for the caller to decide). Returned
 * vectors are checked (count, order, length, finite) and scaled to unit length, since not every
 * server normalises.
 */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  private readonly openai: OpenAI;
  private readonly timeoutMs: number;
  private readonly batchSize: number;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    if (options.model.trim() === '') throw new RangeError('OpenAiEmbedder model must not be empty');
    this.dimensions = positiveInteger('dimensions', options.dimensions, 65_536);
    this.timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? OPENAI_EMBEDDER_DEFAULT_TIMEOUT_MS, 3_600_000);
    this.batchSize = positiveInteger('batchSize', options.batchSize ?? OPENAI_EMBEDDER_DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE);
    this.model = options.requestDimensions ? `${options.model}@${options.dimensions}` : options.model;
    // Every option explicit, so that the SDK reads no OPENAI_* variable behind the caller's back.
    this.openai = new OpenAI({
      baseURL: options.baseUrl ?? OPENAI_BASE_URL,
      apiKey: options.apiKey ?? '',
      organization: null,
      project: null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: this.timeoutMs,
      defaultHeaders: options.apiKey === undefined ? { Authorization: null } : undefined,
    });
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + this.batchSize))));
    }
    return vectors;
  }

  /** One request, bounded by `timeoutMs` until the whole body has arrived (the SDK's timeout stops at the headers). */
  private async embedBatch(batch: readonly string[]): Promise<Float32Array[]> {
    const body: EmbeddingCreateParams = {
      model: this.options.model,
      input: [...batch],
      // Explicit: without it the SDK asks for base64 and cannot decode servers that answer floats anyway.
      encoding_format: 'float',
      ...(this.options.requestDimensions ? { dimensions: this.dimensions } : {}),
    };
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, this.timeoutMs);
    try {
      return this.readVectors(await this.openai.embeddings.create(body, { signal: deadline.signal }), batch.length);
    } catch (error) {
      throw isEmbeddingError(error) ? error : classifyEmbeddingFailure(error, { timedOut, timeoutMs: this.timeoutMs, apiKey: this.options.apiKey });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The answer's vectors in input order, unit length; a 200 that is no embeddings list (a proxy's page) counts as unavailable. */
  private readVectors(response: CreateEmbeddingResponse | undefined, expected: number): Float32Array[] {
    const data: unknown = typeof response === 'object' && response !== null ? response.data : undefined;
    if (!Array.isArray(data)) throw new EmbeddingError('embedding_unavailable', 'the embeddings server answered with something other than an embeddings list');
    if (data.length !== expected) throw new EmbeddingError('embedding_bad_output', `the embeddings server returned ${data.length} vectors for ${expected} inputs`);
    const vectors: (Float32Array | undefined)[] = new Array(expected).fill(undefined);
    data.forEach((item: unknown, position) => {
      const { index, embedding } = (typeof item === 'object' && item !== null ? item : {}) as { index?: unknown; embedding?: unknown };
      // Servers that omit `index` answer in input order.
      const at = index === undefined ? position : index;
      if (typeof at !== 'number' || !Number.isInteger(at) || at < 0 || at >= expected || vectors[at] !== undefined) {
        throw new EmbeddingError('embedding_bad_output', `the embeddings server returned a vector with index ${String(index)} for ${expected} inputs`);
      }
      vectors[at] = this.toUnitVector(embedding, at);
    });
    return vectors as Float32Array[];
  }

  private toUnitVector(embedding: unknown, index: number): Float32Array {
    if (!Array.isArray(embedding) || embedding.length !== this.dimensions || embedding.some((value) => typeof value !== 'number')) {
      const length = Array.isArray(embedding) ? `${embedding.length} numbers` : typeof embedding;
      throw new EmbeddingError('embedding_bad_output', `vector ${index} from the embeddings server is ${length}, expected ${this.dimensions} numbers (check the configured dimensions of ${this.options.model})`);
    }
    try {
      return normalizeInPlace(Float32Array.from(embedding as number[]));
    } catch (error) {
      throw new EmbeddingError('embedding_bad_output', `vector ${index} from the embeddings server has no direction: ${(error as Error).message}`);
    }
  }
}
