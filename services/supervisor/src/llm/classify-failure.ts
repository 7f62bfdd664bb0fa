import { classifyOpenAiFailure, OpenAiFailureContext } from '@agentos/runtime';
import { LlmError } from './llm-error';

export type FailureContext = Omit<OpenAiFailureContext, 'server'>;

/** What a failed request means, as an `LlmError`; anything that is not a failure of the request (a bug) is returned unchanged, to be rethrown. */
export function classifyFailure(error: unknown, context: FailureContext): unknown {
  const failure = classifyOpenAiFailure(error, { ...context, server: 'the LLM server' });
  return failure ? new LlmError(`llm_${failure.kind}`, failure.message, failure.details) : error;
}
