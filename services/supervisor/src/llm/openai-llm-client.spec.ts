import { loadConfig } from '@agentos/runtime';
import { performance } from 'node:perf_hooks';
import { createLlmClient } from './create-llm-client';
import { ParseResult, StructuredRequest } from './llm-client';
import { LlmError } from './llm-error';
import { LlmUsageLedger } from './llm-usage-ledger';
import { LlmConfig } from './llm.config';
import { NotConfiguredLlmClient } from './not-configured-llm-client';
import { ConfiguredLlmConfig, OpenAiLlmClient } from './openai-llm-client';
import { RetryTiming } from './retry-schedule';
import { reply, ScriptedLlmServer } from '@agentos/test-kit';

interface Answer {
  readonly answer: number;
}

const ANSWER_SCHEMA = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'] };

function parseAnswer(value: unknown): ParseResult<Answer> {
  const answer = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).answer : undefined;
  return typeof answer === 'number' ? { ok: true, value: { answer } } : { ok: false, errors: ['/answer: must be a number'] };
}

function answerRequest(overrides: Partial<StructuredRequest<Answer>> = {}): StructuredRequest<Answer> {
  return {
    messages: [
      { role: 'system', content: 'You answer arithmetic questions.' },
      { role: 'user', content: 'What is 6 times 7?' },
    ],
    schema: ANSWER_SCHEMA,
    schemaName: 'answer',
    parse: parseAnswer,
    goalId: 'goal-1',
    ...overrides,
  };
}

/** Retries in tests wait milliseconds, not seconds; retry-after values are honoured as given. */
const FAST_RETRIES: RetryTiming = { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 };

async function failureOf(promise: Promise<unknown>): Promise<LlmError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof LlmError)) throw new Error(`expected an LlmError, got ${String(error)}`);
  return error;
}

describe('OpenAiLlmClient against an OpenAI-compatible server', () => {
  let server: ScriptedLlmServer;
  let ledger: LlmUsageLedger;

  beforeEach(async () => {
    server = await ScriptedLlmServer.start();
    ledger = new LlmUsageLedger();
  });

  afterEach(async () => {
    await server.close();
  });

  function clientWith(env: Record<string, string> = {}): OpenAiLlmClient {
    const config = loadConfig(LlmConfig, { LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'test-model', ...env });
    const client = createLlmClient(config, { ledger, retryTiming: FAST_RETRIES });
    if (!(client instanceof OpenAiLlmClient)) throw new Error('expected the OpenAI client');
    return client;
  }

  describe('answers', () => {
    it('returns the parsed value, usage, model and attempts, having sent the schema as json_schema', async () => {
      server.enqueue(reply.json({ answer: 42 }, { prompt_tokens: 30, completion_tokens: 5, total_tokens: 35 }));

      const completion = await clientWith().complete(answerRequest({ maxTokens: 200 }));

      expect(completion).toEqual({
        value: { answer: 42 },
        usage: { promptTokens: 30, completionTokens: 5, totalTokens: 35 },
        model: 'test-model',
        attempts: 1,
      });
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0].body).toMatchObject({
        model: 'test-model',
        messages: [
          { role: 'system', content: 'You answer arithmetic questions.' },
          { role: 'user', content: 'What is 6 times 7?' },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: ANSWER_SCHEMA, strict: false } },
        max_tokens: 200,
      });
    });

    it('sends no token limit unless asked', async () => {
      server.enqueue(reply.json({ answer: 1 }));
      await clientWith().complete(answerRequest());
      expect(server.requests[0].body).not.toHaveProperty('max_tokens');
    });

    it('accepts JSON inside a ```json fence', async () => {
      server.enqueue(reply.text('```json\n{ "answer": 7 }\n```'));
      await expect(clientWith().complete(answerRequest())).resolves.toMatchObject({ value: { answer: 7 } });
    });

    it('records usage per goal and in total, including answers that were rejected', async () => {
      const client = clientWith();
      server.enqueue(
        reply.json({ answer: 1 }, { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 }),
        reply.text('not json', { prompt_tokens: 20, completion_tokens: 3, total_tokens: 23 }),
        reply.json({ answer: 3 }, { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 }),
      );

      await client.complete(answerRequest({ goalId: 'goal-a' }));
      await failureOf(client.complete(answerRequest({ goalId: 'goal-a' })));
      await client.complete(answerRequest({ goalId: 'goal-b' }));

      expect(ledger.forGoal('goal-a')).toEqual({ promptTokens: 30, completionTokens: 5, totalTokens: 35, requests: 2 });
      expect(ledger.forGoal('goal-b')).toEqual({ promptTokens: 100, completionTokens: 50, totalTokens: 150, requests: 1 });
      expect(ledger.total()).toEqual({ promptTokens: 130, completionTokens: 55, totalTokens: 185, requests: 3 });
      expect(client.usage).toBe(ledger);
    });
  });

  describe('bad output', () => {
    it('rejects an answer that is not JSON with llm_bad_output, carrying the answer for repair', async () => {
      server.enqueue(reply.text('The answer is 42.'));

      const error = await failureOf(clientWith().complete(answerRequest()));

      expect(error.code).toBe('llm_bad_output');
      expect(error.retriable).toBe(false);
      expect(error.details.errors).toEqual([expect.stringMatching(/not valid JSON/)]);
      expect(error.details.content).toBe('The answer is 42.');
      expect(server.requests).toHaveLength(1);
    });

    it('rejects JSON that fails parse with llm_bad_output and the parser errors', async () => {
      server.enqueue(reply.json({ answer: 'forty-two' }));

      const error = await failureOf(clientWith().complete(answerRequest()));

      expect(error.code).toBe('llm_bad_output');
      expect(error.details.errors).toEqual(['/answer: must be a number']);
      expect(error.message).toMatch(/answer: must be a number/);
      expect(error.details.attempts).toBe(1);
    });

    it('reports an answer cut off at the token limit as llm_bad_output', async () => {
      server.enqueue({ kind: 'message', content: '{"answer": 4', finishReason: 'length' });
      const error = await failureOf(clientWith().complete(answerRequest({ maxTokens: 5 })));
      expect(error.code).toBe('llm_bad_output');
      expect(error.details.errors).toEqual([expect.stringMatching(/cut off at the token limit \(5\)/)]);
    });

    it('reports a refusal as llm_refused', async () => {
      server.enqueue(reply.refusal('I cannot help with that.'));
      const error = await failureOf(clientWith().complete(answerRequest()));
      expect(error.code).toBe('llm_refused');
      expect(error.message).toMatch(/I cannot help with that/);
    });
  });

  describe('retries', () => {
    it('waits as long as a 429 asks (retry-after-ms), then succeeds', async () => {
      server.enqueue(reply.status(429, 'slow down', { 'retry-after-ms': '50' }), reply.json({ answer: 1 }));

      const started = performance.now();
      const completion = await clientWith().complete(answerRequest());
      const waited = performance.now() - started;

      expect(completion.attempts).toBe(2);
      expect(server.requests).toHaveLength(2);
      // Node timers have millisecond granularity against a sub-millisecond clock: allow 1 ms.
      expect(waited).toBeGreaterThanOrEqual(49);
    });

    it('retries a 500, then succeeds', async () => {
      server.enqueue(reply.status(500), reply.json({ answer: 2 }));
      await expect(clientWith().complete(answerRequest())).resolves.toMatchObject({ value: { answer: 2 }, attempts: 2 });
      expect(server.requests).toHaveLength(2);
    });

    it('gives up with llm_unavailable after LLM_MAX_RETRIES retries of 5xx', async () => {
      server.enqueue(reply.status(503), reply.status(502), reply.status(500));

      const error = await failureOf(clientWith({ LLM_MAX_RETRIES: '2' }).complete(answerRequest()));

      expect(error.code).toBe('llm_unavailable');
      expect(error.retriable).toBe(true);
      expect(error.details).toMatchObject({ status: 500, attempts: 3 });
      expect(server.requests).toHaveLength(3);
    });

    it('gives up with llm_rate_limited after retries of 429, passing on the retry-after', async () => {
      server.enqueue(...Array.from({ length: 2 }, () => reply.status(429, 'rate limit', { 'retry-after-ms': '5' })));

      const error = await failureOf(clientWith({ LLM_MAX_RETRIES: '1' }).complete(answerRequest()));

      expect(error.code).toBe('llm_rate_limited');
      expect(error.details).toMatchObject({ status: 429, retryAfterMs: 5, attempts: 2 });
      expect(server.requests).toHaveLength(2);
    });

    it('does not wait when the server asks for longer than it is willing to wait', async () => {
      server.enqueue(reply.status(429, 'quota', { 'retry-after': '3600' }));

      const error = await failureOf(clientWith().complete(answerRequest()));

      expect(error.code).toBe('llm_rate_limited');
      expect(error.details.retryAfterMs).toBe(3_600_000);
      expect(server.requests).toHaveLength(1);
    });

    it('retries a connection the server drops, then succeeds', async () => {
      server.enqueue(reply.drop(), reply.json({ answer: 5 }));
      await expect(clientWith().complete(answerRequest())).resolves.toMatchObject({ value: { answer: 5 }, attempts: 2 });
      expect(server.requests).toHaveLength(2);
    });

    it('reports a server it cannot reach as llm_unavailable, after retrying', async () => {
      const gone = await ScriptedLlmServer.start();
      await gone.close();
      const config = loadConfig(LlmConfig, { LLM_BASE_URL: gone.baseUrl, LLM_MODEL: 'test-model', LLM_MAX_RETRIES: '1' });

      const error = await failureOf(new OpenAiLlmClient(config as ConfiguredLlmConfig, { retryTiming: FAST_RETRIES }).complete(answerRequest()));

      expect(error.code).toBe('llm_unavailable');
      expect(error.message).toMatch(/cannot reach the LLM server/);
      expect(error.details.attempts).toBe(2);
    });
  });

  describe('timeouts', () => {
    it('ends a request that never gets an answer with llm_timeout', async () => {
      server.enqueue(reply.hang());

      const started = performance.now();
      const error = await failureOf(clientWith({ LLM_TIMEOUT_MS: '200', LLM_MAX_RETRIES: '0' }).complete(answerRequest()));

      expect(error.code).toBe('llm_timeout');
      expect(error.retriable).toBe(true);
      expect(error.message).toMatch(/200 ms/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(199);
      expect(server.requests).toHaveLength(1);
    });

    it('retries a timed-out request', async () => {
      server.enqueue(reply.hang(), reply.json({ answer: 9 }));
      const completion = await clientWith({ LLM_TIMEOUT_MS: '200' }).complete(answerRequest());
      expect(completion).toMatchObject({ value: { answer: 9 }, attempts: 2 });
    });
  });

  describe('structured output modes', () => {
    const JSON_SCHEMA_UNSUPPORTED = "response_format type 'json_schema' is not supported by this server";

    it('falls back to json_object with the schema in the prompt when json_schema is rejected, and stays there', async () => {
      const client = clientWith();
      server.enqueue(reply.status(400, JSON_SCHEMA_UNSUPPORTED), reply.json({ answer: 1 }), reply.json({ answer: 2 }));

      await expect(client.complete(answerRequest())).resolves.toMatchObject({ value: { answer: 1 }, attempts: 2 });
      await expect(client.complete(answerRequest())).resolves.toMatchObject({ value: { answer: 2 }, attempts: 1 });

      const formats = server.requests.map((request) => request.body.response_format);
      expect(formats).toEqual([expect.objectContaining({ type: 'json_schema' }), { type: 'json_object' }, { type: 'json_object' }]);
      const messages = server.requests[1].body.messages as { role: string; content: string }[];
      expect(messages.map((message) => message.role)).toEqual(['system', 'system', 'user']);
      expect(messages[1].content).toContain(JSON.stringify(ANSWER_SCHEMA));
    });

    it('does not fall back on a 400 about something else', async () => {
      server.enqueue(reply.status(400, "'messages' must not be empty"));
      const error = await failureOf(clientWith().complete(answerRequest()));
      expect(error.code).toBe('llm_request_invalid');
      expect(server.requests).toHaveLength(1);
    });

    it('does not fall back when json_schema is required', async () => {
      server.enqueue(reply.status(400, JSON_SCHEMA_UNSUPPORTED));
      const error = await failureOf(clientWith({ LLM_STRUCTURED_OUTPUT: 'json_schema' }).complete(answerRequest()));
      expect(error.code).toBe('llm_request_invalid');
      expect(error.details.status).toBe(400);
      expect(server.requests).toHaveLength(1);
    });

    it('uses json_object from the start when configured so', async () => {
      server.enqueue(reply.json({ answer: 3 }));
      await clientWith({ LLM_STRUCTURED_OUTPUT: 'json_object' }).complete(answerRequest());
      expect(server.requests[0].body.response_format).toEqual({ type: 'json_object' });
    });
  });

  describe('requests the server refuses', () => {
    it('reports a 401 as llm_request_invalid without retrying', async () => {
      server.enqueue(reply.status(401, 'invalid api key'), reply.json({ answer: 1 }));

      const error = await failureOf(clientWith({ LLM_API_KEY: 'sk-test' }).complete(answerRequest()));

      expect(error.code).toBe('llm_request_invalid');
      expect(error.retriable).toBe(false);
      expect(error.details).toMatchObject({ status: 401, attempts: 1 });
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('the API key', () => {
    const KEY = 'sk-secret-0123456789abcdef';

    it('is sent as a bearer token', async () => {
      server.enqueue(reply.json({ answer: 1 }));
      await clientWith({ LLM_API_KEY: KEY }).complete(answerRequest());
      expect(server.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    });

    it('is not sent when none is configured', async () => {
      server.enqueue(reply.json({ answer: 1 }));
      await clientWith().complete(answerRequest());
      expect(server.requests[0].headers).not.toHaveProperty('authorization');
    });

    it('never appears in an error, even when the server echoes it', async () => {
      server.enqueue(reply.status(401, `Incorrect API key provided: ${KEY}`));

      const error = await failureOf(clientWith({ LLM_API_KEY: KEY }).complete(answerRequest()));

      expect(error.code).toBe('llm_request_invalid');
      expect(error.message).toMatch(/Incorrect API key provided: \[redacted\]/);
      for (const text of [error.message, String(error.stack), JSON.stringify(error.context), JSON.stringify(error.details), String(error.cause)]) {
        expect(text).not.toContain(KEY);
      }
    });
  });
});

describe('createLlmClient without a model', () => {
  it('returns a client that explains how to configure one, or to pass a plan', async () => {
    const client = createLlmClient(loadConfig(LlmConfig, {}));

    expect(client).toBeInstanceOf(NotConfiguredLlmClient);
    const error = await failureOf(client.complete(answerRequest()));
    expect(error.code).toBe('llm_not_configured');
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/LLM_MODEL is not set/);
    expect(error.message).toMatch(/LLM_MODEL[\s\S]*LLM_BASE_URL[\s\S]*LLM_API_KEY[\s\S]*explicit plan/);
  });

  it('counts a model with neither a server nor a key as not configured', async () => {
    const error = await failureOf(createLlmClient(loadConfig(LlmConfig, { LLM_MODEL: 'gpt-4o-mini' })).complete(answerRequest()));
    expect(error.code).toBe('llm_not_configured');
    expect(error.message).toMatch(/neither LLM_BASE_URL nor LLM_API_KEY is set/);
  });

  it('builds the OpenAI client for a model with a key only (OpenAI itself)', () => {
    expect(createLlmClient(loadConfig(LlmConfig, { LLM_MODEL: 'gpt-4o-mini', LLM_API_KEY: 'sk-x' }))).toBeInstanceOf(OpenAiLlmClient);
  });
});
