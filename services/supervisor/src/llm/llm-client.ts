/** One message of a prompt. Put caller-supplied data in a user message with `dataBlock`, never in instructions. */
export interface LlmMessage {
  readonly role: 'system' | 'user';
  readonly content: string;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly string[] };

/** A JSON Schema, as sent to the model: plain JSON. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface StructuredRequest<T> {
  readonly messages: readonly LlmMessage[];
  /** What the answer must look like; sent to the server (or put in the prompt when the server has no schema mode). */
  readonly schema: JsonSchema;
  /** `^[A-Za-z0-9_-]{1,64}$`, as OpenAI requires for `json_schema.name`. */
  readonly schemaName: string;
  /** The caller's own check of the parsed JSON: the schema guides the model, this decides. */
  readonly parse: (value: unknown) => ParseResult<T>;
  /** Whose budget the tokens count against. */
  readonly goalId: string;
  readonly maxTokens?: number;
}

export interface LlmUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

export interface LlmCompletion<T> {
  readonly value: T;
  /** Of the request that produced `value`; every request's usage is in the `LlmUsageLedger`. */
  readonly usage: LlmUsage;
  /** The model that answered, as the server names it. */
  readonly model: string;
  /** Requests sent, fallbacks and retries included. */
  readonly attempts: number;
}

/**
 * Asks a model for one JSON value. Resolves with a value `parse` accepted, or rejects with an
 * `LlmError` whose `code` says what happened; transient failures are already retried.
 */
export interface LlmClient {
  complete<T>(request: StructuredRequest<T>): Promise<LlmCompletion<T>>;
}
