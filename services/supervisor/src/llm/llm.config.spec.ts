import { ConfigError, loadConfig } from '@agentos/runtime';
import { inspect } from 'node:util';
import { LlmConfig } from './llm.config';

describe('LlmConfig', () => {
  it('has defaults, and needs nothing to load', () => {
    expect(loadConfig(LlmConfig, {})).toMatchObject({ LLM_TIMEOUT_MS: 60_000, LLM_MAX_RETRIES: 3, LLM_STRUCTURED_OUTPUT: 'auto' });
  });

  it('reads a local server without a key', () => {
    const config = loadConfig(LlmConfig, { LLM_BASE_URL: 'http://ollama:11434/v1', LLM_MODEL: 'qwen2.5:7b', LLM_TIMEOUT_MS: '5000' });
    expect(config).toMatchObject({ LLM_BASE_URL: 'http://ollama:11434/v1', LLM_MODEL: 'qwen2.5:7b', LLM_TIMEOUT_MS: 5_000 });
    expect(config.LLM_API_KEY).toBeUndefined();
  });

  it('lists every invalid setting', () => {
    const load = (): LlmConfig =>
      loadConfig(LlmConfig, { LLM_BASE_URL: 'localhost:8000', LLM_MAX_RETRIES: '-1', LLM_STRUCTURED_OUTPUT: 'xml' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/LLM_BASE_URL[\s\S]*LLM_MAX_RETRIES[\s\S]*LLM_STRUCTURED_OUTPUT/);
  });

  it('keeps the key out of JSON and inspect output', () => {
    const config = loadConfig(LlmConfig, { LLM_API_KEY: 'sk-very-secret', LLM_MODEL: 'gpt-4o-mini' });
    expect(config.LLM_API_KEY).toBe('sk-very-secret');
    expect(JSON.stringify(config)).not.toContain('sk-very-secret');
    expect(inspect(config)).not.toContain('sk-very-secret');
    expect(JSON.stringify(config)).toContain('gpt-4o-mini');
  });
});
