import { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeLoopbackServer, onRequestBody, sendJson, startLoopbackServer } from '../http/loopback-server';

export interface ScriptedUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

/** One scripted answer to one `POST /v1/chat/completions`. */
export type ScriptedResponse =
  | {
      readonly kind: 'message';
      readonly content: string | null;
      readonly refusal?: string;
      readonly finishReason?: 'stop' | 'length' | 'content_filter';
      readonly usage?: ScriptedUsage;
    }
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'drop' };

export const DEFAULT_USAGE: ScriptedUsage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

/** Builders for the script. */
export const reply = {
  /** A chat completion whose content is `value` as JSON. */
  json: (value: unknown, usage: ScriptedUsage = DEFAULT_USAGE): ScriptedResponse => ({ kind: 'message', content: JSON.stringify(value), usage }),
  /** A chat completion with this content, verbatim. */
  text: (content: string, usage: ScriptedUsage = DEFAULT_USAGE): ScriptedResponse => ({ kind: 'message', content, usage }),
  refusal: (refusal: string): ScriptedResponse => ({ kind: 'message', content: null, refusal, usage: DEFAULT_USAGE }),
  /** An HTTP error; the body is an OpenAI error object carrying `message`. */
  status: (status: number, message = `scripted ${status}`, headers: Readonly<Record<string, string>> = {}): ScriptedResponse => ({
    kind: 'status',
    status,
    headers,
    body: JSON.stringify({ error: { message, type: 'scripted', code: null } }),
  }),
  /** Never answers; the request ends only when the client gives up or the server closes. */
  hang: (): ScriptedResponse => ({ kind: 'hang' }),
  /** Closes the connection without an answer, as a crashing server or a broken proxy does. */
  drop: (): ScriptedResponse => ({ kind: 'drop' }),
};

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body, parsed. */
  readonly body: Record<string, unknown>;
}

function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A real OpenAI-compatible HTTP server for tests, on 127.0.0.1 and a free port. Answers each
 * chat completion with the next scripted response and records every request it received.
 * With nothing queued it answers 500, which a test sees as an unexpected request.
 */
export class ScriptedLlmServer {
  readonly requests: RecordedRequest[] = [];
  private readonly script: ScriptedResponse[] = [];
  private completionCount = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<ScriptedLlmServer> {
    const { server, port } = await startLoopbackServer();
    const instance = new ScriptedLlmServer(server, `http://127.0.0.1:${port}/v1`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => instance.handle(request, response));
    return instance;
  }

  enqueue(...responses: ScriptedResponse[]): this {
    this.script.push(...responses);
    return this;
  }

  /** Responses queued and not yet used. */
  get pending(): number {
    return this.script.length;
  }

  /** Stops listening and destroys every connection, hanging ones included. */
  close(): Promise<void> {
    return closeLoopbackServer(this.server);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    onRequestBody(request, (text) => {
      const body = parseBody(text);
      this.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: body ?? {} });
      if (body === undefined) {
        sendJson(response, 400, JSON.stringify({ error: { message: 'scripted server: the body is not a JSON object' } }));
        return;
      }
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        sendJson(response, 404, JSON.stringify({ error: { message: `no route ${request.method} ${request.url}` } }));
        return;
      }
      const next = this.script.shift();
      if (next === undefined) {
        sendJson(response, 500, JSON.stringify({ error: { message: 'scripted server: no response queued' } }));
        return;
      }
      this.answer(next, response, String(this.requests[this.requests.length - 1].body.model ?? 'scripted-model'));
    });
  }

  private answer(scripted: ScriptedResponse, response: ServerResponse, model: string): void {
    if (scripted.kind === 'hang') return;
    if (scripted.kind === 'drop') {
      response.socket?.destroy();
      return;
    }
    if (scripted.kind === 'status') {
      sendJson(response, scripted.status, scripted.body ?? '', scripted.headers ?? {});
      return;
    }
    this.completionCount += 1;
    const completion = {
      id: `chatcmpl-scripted-${this.completionCount}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1_000),
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: scripted.content, refusal: scripted.refusal ?? null },
          finish_reason: scripted.finishReason ?? 'stop',
          logprobs: null,
        },
      ],
      usage: scripted.usage,
    };
    sendJson(response, 200, JSON.stringify(completion));
  }
}
