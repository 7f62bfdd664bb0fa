import { classifyOpenAiFailure, OpenAiFailureContext } from '@agentos/runtime';
import { EmbeddingError } from './embedding-error';

export type FailureContext = Omit<OpenAiFailureContext, 'server'>;

/** What a failed embeddings request means, as an `EmbeddingError`; anything that is not a failure of the request (a bug) is returned unchanged, to be rethrown. */
export function classifyEmbeddingFailure(error: unknown, context: FailureContext): unknown {
  const failure = classifyOpenAiFailure(error, { ...context, server: 'the embeddings server' });
  return failure ? new EmbeddingError(`embedding_${failure.kind}`, failure.message, failure.details) : error;
}
