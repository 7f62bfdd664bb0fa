import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { setTimeout as sleep } from 'node:timers/promises';
import { classifyFailure } from './classify-failure';
import { LlmClient, LlmCompletion, LlmUsage, StructuredRequest } from './llm-client';
import { isLlmError, LlmError } from './llm-error';
import { LlmUsageLedger } from './llm-usage-ledger';
import { parseJsonContent } from './parse-json-content';
import { DEFAULT_RETRY_TIMING, retryDelayMs, RetryTiming } from './retry-schedule';
import { JsonMode, rejectsJsonSchema, structuredPrompt } from './structured-output';
import { LlmConfig } from './llm.config';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** Enough of a rejected answer for the caller to show the model what it got wrong. */
const MAX_CONTENT_IN_ERROR = 20_000;

export type ConfiguredLlmConfig = LlmConfig & { readonly LLM_MODEL: string };

export interface OpenAiLlmClientOptions {
  readonly ledger?: LlmUsageLedger;
  readonly retryTiming?: RetryTiming;
  readonly random?: () => number;
}

/** One answer, as far as this client cares. */
interface ModelAnswer {
  readonly content: string | null;
  readonly refusal: string | null;
  readonly finishReason: string | null;
  readonly usage: LlmUsage;
  readonly model: string;
}

/**
 * `LlmClient` over the `openai` SDK, for OpenAI or any compatible server. Retries are its own
 * (the SDK's are off) so that every wait honours the server's retry-after and is counted.
 */
export class OpenAiLlmClient implements LlmClient {
  private readonly openai: OpenAI;
  private readonly ledger: LlmUsageLedger;
  private readonly retryTiming: RetryTiming;
  private readonly random: () => number;
  /** Starts at json_schema in `auto` mode; becomes json_object for good once the server rejects json_schema. */
  private jsonMode: JsonMode;

  constructor(
    private readonly config: ConfiguredLlmConfig,
    options: OpenAiLlmClientOptions = {},
  ) {
    this.ledger = options.ledger ?? new LlmUsageLedger();
    this.retryTiming = options.retryTiming ?? DEFAULT_RETRY_TIMING;
    this.random = options.random ?? Math.random;
    this.jsonMode = config.LLM_STRUCTURED_OUTPUT === 'json_object' ? 'json_object' : 'json_schema';
    // Every option explicit, so that the SDK reads no OPENAI_* variable behind the config's back.
    this.openai = new OpenAI({
      baseURL: config.LLM_BASE_URL ?? OPENAI_BASE_URL,
      apiKey: config.LLM_API_KEY ?? '',
      organization: null,
      project: null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: config.LLM_TIMEOUT_MS,
      // Local servers need no key: send no Authorization header rather than an empty bearer.
      defaultHeaders: config.LLM_API_KEY === undefined ? { Authorization: null } : undefined,
    });
  }

  get usage(): LlmUsageLedger {
    return this.ledger;
  }

  async complete<T>(request: StructuredRequest<T>): Promise<LlmCompletion<T>> {
    let attempts = 0;
    let retries = 0;
    for (;;) {
      const mode = this.jsonMode;
      attempts += 1;
      try {
        const answer = await this.send(request, mode);
        return this.accept(request, answer, attempts);
      } catch (error) {
        if (!isLlmError(error)) throw error;
        if (this.shouldFallBack(mode, error)) {
          this.jsonMode = 'json_object';
          continue;
        }
        const delayMs = retries < this.config.LLM_MAX_RETRIES ? retryDelayMs(error, retries + 1, this.retryTiming, this.random) : undefined;
        if (delayMs === undefined) throw error.withAttempts(attempts);
        retries += 1;
        await sleep(delayMs);
      }
    }
  }

  private shouldFallBack(mode: JsonMode, error: LlmError): boolean {
    return this.config.LLM_STRUCTURED_OUTPUT === 'auto' && mode === 'json_schema' && rejectsJsonSchema(error.details.status, error.message);
  }

  /** One request, bounded by LLM_TIMEOUT_MS until the whole body has arrived (the SDK's timeout stops at the headers). */
  private async send(request: StructuredRequest<unknown>, mode: JsonMode): Promise<ModelAnswer> {
    const prompt = structuredPrompt(request, mode);
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: this.config.LLM_MODEL,
      messages: prompt.messages.map((message) => ({ role: message.role, content: message.content })),
      response_format: prompt.responseFormat,
      // max_tokens rather than max_completion_tokens: every compatible server reads it.
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    };
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, this.config.LLM_TIMEOUT_MS);
    try {
      return this.readAnswer(await this.openai.chat.completions.create(body, { signal: deadline.signal }));
    } catch (error) {
      throw isLlmError(error)
        ? error
        : classifyFailure(error, { timedOut, timeoutMs: this.config.LLM_TIMEOUT_MS, apiKey: this.config.LLM_API_KEY });
    } finally {
      clearTimeout(timer);
    }
  }

  /** A 200 that is not a chat completion (a proxy's page, say) is a server failure, retried like a 5xx. */
  private readAnswer(completion: ChatCompletion | undefined): ModelAnswer {
    const choice = typeof completion === 'object' && completion !== null ? completion.choices?.[0] : undefined;
    if (!completion || !choice?.message) throw new LlmError('llm_unavailable', 'the LLM server answered with something other than a chat completion');
    const usage = completion.usage;
    const promptTokens = usage?.prompt_tokens ?? 0;
    const completionTokens = usage?.completion_tokens ?? 0;
    return {
      content: choice.message.content ?? null,
      refusal: choice.message.refusal ?? null,
      finishReason: choice.finish_reason ?? null,
      // Some local servers omit usage; such answers count as free rather than fail.
      usage: { promptTokens, completionTokens, totalTokens: usage?.total_tokens ?? promptTokens + completionTokens },
      model: completion.model || this.config.LLM_MODEL,
    };
  }

  private accept<T>(request: StructuredRequest<T>, answer: ModelAnswer, attempts: number): LlmCompletion<T> {
    this.ledger.record(request.goalId, answer.usage);
    const content = answer.content?.slice(0, MAX_CONTENT_IN_ERROR);
    if (answer.refusal || answer.finishReason === 'content_filter') {
      throw new LlmError('llm_refused', `the model refused: ${answer.refusal ?? 'content filter'}`, { attempts, content: answer.refusal ?? content });
    }
    if (answer.finishReason === 'length') {
      const errors = [`the answer was cut off at the token limit${request.maxTokens ? ` (${request.maxTokens})` : ''}; answer more briefly`];
      throw new LlmError('llm_bad_output', errors[0], { attempts, errors, content });
    }
    const json = parseJsonContent(answer.content ?? '');
    const parsed = json.ok ? request.parse(json.value) : json;
    if (!parsed.ok) {
      throw new LlmError('llm_bad_output', `the answer does not fit ${request.schemaName}: ${parsed.errors.slice(0, 5).join('; ')}`, {
        attempts,
        errors: parsed.errors,
        content,
      });
    }
    return { value: parsed.value, usage: answer.usage, model: answer.model, attempts };
  }
}
