import { LlmClient, LlmCompletion } from './llm-client';
import { LlmError } from './llm-error';

/** Stands in when no model is configured, so goals with an explicit plan still run. */
export class NotConfiguredLlmClient implements LlmClient {
  constructor(private readonly reason: string) {}

  async complete<T>(): Promise<LlmCompletion<T>> {
    throw new LlmError(
      'llm_not_configured',
      `no LLM is configured (${this.reason}), so this goal cannot be planned. Set LLM_MODEL, and LLM_BASE_URL ` +
        `for an OpenAI-compatible server (vLLM, Ollama, LM Studio, llama.cpp) or LLM_API_KEY for OpenAI; ` +
        `or submit the goal with an explicit plan.`,
    );
  }
}
