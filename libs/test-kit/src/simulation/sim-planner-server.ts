import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeLoopbackServer, onRequestBody, sendJson, startLoopbackServer } from '../http/loopback-server';
import { TaskGraph } from '@agentos/contracts';
import { readDataBlocks } from './data-blocks';
import { familyOf, familyPlan, ParseTool } from './sim-goals';

interface Offer {
  readonly workerType: string;
  readonly tool: string;
}

interface PastPlanBlock {
  readonly plan: TaskGraph;
  readonly flagged: boolean;
}

/** One request the planner answered. */
export interface PlannerCall {
  readonly kind: 'plan' | 'replan';
  readonly goal: string;
  readonly examples: number;
  readonly tokens: number;
}

/**
 * A real OpenAI-compatible HTTP server standing in for the planning model of the simulated
 * world, with the habits of a model rather than an oracle's knowledge: it plans the four-step
 * plan with the strict parser (it does not know the data is legacy) and the first worker type
 * listed for each tool, unless the prompt's past plans (memory's examples) show another parser;
 * asked to replan after a failure, it switches to the lenient parser. Tokens are counted from
 * the text, a quarter of the characters, and reported as usage.
 */
export class SimPlannerServer {
  readonly calls: PlannerCall[] = [];

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  static async start(options: { timeoutMs: number }): Promise<SimPlannerServer> {
    const { server, port } = await startLoopbackServer();
    const planner = new SimPlannerServer(server, `http://127.0.0.1:${port}/v1`, options.timeoutMs);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => planner.handle(request, response));
    return planner;
  }

  get tokens(): number {
    return this.calls.reduce((sum, call) => sum + call.tokens, 0);
  }

  close(): Promise<void> {
    return closeLoopbackServer(this.server);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    onRequestBody(request, (text) => {
      try {
        const body = JSON.parse(text) as { model?: string; messages?: Array<{ content?: string }> };
        const prompt = (body.messages ?? []).map((message) => message.content ?? '').join('\n');
        const answer = this.answer(prompt);
        const completionTokens = Math.ceil(answer.length / 4);
        const promptTokens = Math.ceil(prompt.length / 4);
        const completion = {
          id: `chatcmpl-sim-${this.calls.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1_000),
          model: body.model ?? 'sim-planner',
          choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
        };
        this.calls[this.calls.length - 1] = { ...this.calls[this.calls.length - 1]!, tokens: promptTokens + completionTokens };
        sendJson(response, 200, JSON.stringify(completion));
      } catch (error) {
        sendJson(response, 400, JSON.stringify({ error: { message: `sim planner: ${(error as Error).message}` } }));
      }
    });
  }

  private answer(prompt: string): string {
    const blocks = readDataBlocks(prompt);
    const goal = blocks.get('goal');
    if (typeof goal !== 'string' || !familyOf(goal)) throw new Error('no goal of the simulated families in the prompt');
    const offers = (blocks.get('tools') ?? []) as Offer[];
    const extractOn = offers.find((offer) => offer.tool === 'extract')?.workerType ?? 'bulk';
    if (blocks.has('failed_task')) {
      this.calls.push({ kind: 'replan', goal, examples: 0, tokens: 0 });
      return JSON.stringify(this.replacement(goal, blocks, extractOn));
    }
    const examples = (blocks.get('past_plans') ?? []) as PastPlanBlock[];
    this.calls.push({ kind: 'plan', goal, examples: examples.length, tokens: 0 });
    const followed = examples.find((example) => !example.flagged);
    const parse = (followed?.plan.tasks.find((task) => task.tool.startsWith('parse.'))?.tool as ParseTool | undefined) ?? 'parse.strict';
    return JSON.stringify(familyPlan(goal, { parse, extractOn, timeoutMs: this.timeoutMs }));
  }

  /** The unfinished steps again, under ids not used yet, with the lenient parser; finished steps are referenced. */
  private replacement(goal: string, blocks: Map<string, unknown>, extractOn: string): TaskGraph {
    const finished = ((blocks.get('finished_tasks') ?? []) as Array<{ id: string }>).map((task) => task.id);
    const unfinished = ((blocks.get('unfinished_tasks') ?? []) as Array<{ id: string }>).map((task) => task.id);
    const round = Math.max(0, ...[...finished, ...unfinished].map((id) => Number(/-r(\d+)$/.exec(id)?.[1] ?? 0))) + 1;
    const step = (id: string): string => id.replace(/-r\d+$/, '');
    const finishedByStep = new Map(finished.map((id) => [step(id), id]));
    const idOf = (base: string): string => finishedByStep.get(base) ?? `${base}-r${round}`;
    const full = familyPlan(goal, { parse: 'parse.lenient', extractOn, timeoutMs: this.timeoutMs });
    const tasks = full.tasks
      .filter((task) => !finishedByStep.has(task.id))
      .map((task) => ({ ...task, id: idOf(task.id), ...(task.dependsOn ? { dependsOn: task.dependsOn.map(idOf) } : {}) }));
    return { tasks, outputs: [idOf('report')] };
  }
}
