import { LlmClient } from './llm-client';
import { LlmConfig } from './llm.config';
import { NotConfiguredLlmClient } from './not-configured-llm-client';
import { ConfiguredLlmConfig, OpenAiLlmClient, OpenAiLlmClientOptions } from './openai-llm-client';

/** Why the config names no usable model, or undefined when it does. */
function whatIsMissing(config: LlmConfig): string | undefined {
  if (config.LLM_MODEL === undefined) return 'LLM_MODEL is not set';
  if (config.LLM_BASE_URL === undefined && config.LLM_API_KEY === undefined) return 'neither LLM_BASE_URL nor LLM_API_KEY is set';
  return undefined;
}

/** The OpenAI-compatible client when a model is configured, else one that explains how to configure it. */
export function createLlmClient(config: LlmConfig, options: OpenAiLlmClientOptions = {}): LlmClient {
  const missing = whatIsMissing(config);
  if (missing !== undefined) return new NotConfiguredLlmClient(missing);
  return new OpenAiLlmClient(config as ConfiguredLlmConfig, options);
}
