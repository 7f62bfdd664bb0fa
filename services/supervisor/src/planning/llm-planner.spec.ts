import { GoalMessage, newEnvelope } from '@agentos/contracts';
import { loadConfig } from '@agentos/runtime';
import { BUNDLED_CATALOG, StaticToolCatalog } from '../catalog/tool-catalog';
import { createLlmClient } from '../llm/create-llm-client';
import { LlmError } from '../llm/llm-error';
import { LlmConfig } from '../llm/llm.config';
import { reply, ScriptedLlmServer } from '@agentos/test-kit';
import { LlmPlanner } from './llm-planner';
import { PlanValidator } from './plan-validator';

const goal = (text: string): GoalMessage => ({ ...newEnvelope('goal', { goalId: 'goal-llm' }), goal: text });
const catalog = new StaticToolCatalog(BUNDLED_CATALOG);
const offers = () => catalog.workerTypes().flatMap((workerType) => (catalog.tools(workerType) ?? []).map((tool) => ({ workerType, tool })));

const SUM_PLAN = {
  tasks: [
    { id: 'sum', workerType: 'logic', tool: 'math.evaluate', input: { expression: '19 + 23' } },
    { id: 'say', workerType: 'logic', tool: 'text.template', input: { template: 'The answer is {{n}}', data: { n: { $ref: 'sum.value' } } } },
  ],
  outputs: ['say'],
};

describe('LlmPlanner with the real openai SDK against an OpenAI-compatible server', () => {
  let server: ScriptedLlmServer;
  let planner: LlmPlanner;

  beforeEach(async () => {
    server = await ScriptedLlmServer.start();
    const llm = createLlmClient(loadConfig(LlmConfig, { LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'planner-model', LLM_MAX_RETRIES: '0' }));
    planner = new LlmPlanner(llm, new PlanValidator(catalog), { maxRepairs: 2, maxTasks: 50, offers });
  });

  afterEach(() => server.close());

  const userMessage = (request: number): string => {
    const messages = server.requests[request]!.body.messages as Array<{ role: string; content: string }>;
    return messages.find((message) => message.role === 'user')!.content;
  };

  it('turns a goal into a validated plan in one round, sending the goal and the tools as data and the TaskGraph schema', async () => {
    server.enqueue(reply.json(SUM_PLAN));
    const outcome = await planner.plan(goal('add 19 and 23 and say the answer'));

    expect(outcome).toMatchObject({ ok: true, rounds: 1, graph: SUM_PLAN });
    if (outcome.ok) expect(outcome.plan.outputs.map((index) => outcome.plan.nodes[index]!.id)).toEqual(['say']);
    const body = server.requests[0]!.body;
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'task_graph' } });
    expect(userMessage(0)).toMatch(/<<<DATA [^>]*>>>[\s\S]*"add 19 and 23 and say the answer"[\s\S]*<<<END DATA/);
    expect(userMessage(0)).toContain('"tool":"math.evaluate"');
  });

  it('sends an invalid plan back with its problems, and accepts the repaired one', async () => {
    const cyclic = {
      tasks: [
        { id: 'a', workerType: 'logic', tool: 'noop', dependsOn: ['b'] },
        { id: 'b', workerType: 'logic', tool: 'noop', input: { x: { $ref: 'a' } } },
      ],
    };
    server.enqueue(reply.json(cyclic), reply.json(SUM_PLAN));
    const outcome = await planner.plan(goal('add numbers'));

    expect(outcome).toMatchObject({ ok: true, rounds: 2 });
    expect(server.requests).toHaveLength(2);
    expect(userMessage(1)).toContain('cycle: the plan has a cycle');
    expect(userMessage(1)).toContain('"dependsOn":["b"]');
  });

  it('repairs an answer that is not JSON, or not a task graph by the contract', async () => {
    server.enqueue(reply.text('Sure! Here is your plan: step 1 ...'), reply.json({ tasks: [{ id: 'x', tool: 'noop' }] }), reply.json(SUM_PLAN));
    const outcome = await planner.plan(goal('add numbers'));

    expect(outcome).toMatchObject({ ok: true, rounds: 3 });
    expect(userMessage(1)).toContain('Sure! Here is your plan');
    expect(userMessage(2)).toContain('tasks.0.workerType');
  });

  it('gives up after the bounded repairs with the last problems', async () => {
    const unknownTool = { tasks: [{ id: 'x', workerType: 'logic', tool: 'teleport' }] };
    server.enqueue(reply.json(unknownTool), reply.json(unknownTool), reply.json(unknownTool));
    const outcome = await planner.plan(goal('go to the moon'));

    expect(outcome).toMatchObject({ ok: false, rounds: 3, reason: 'the planner produced no valid plan in 3 rounds' });
    if (!outcome.ok) expect(outcome.problems[0]).toContain('unknown_tool: task "x" uses tool "teleport"');
    expect(server.requests).toHaveLength(3);
  });

  it('lets an LLM failure that is not about the answer through, for the caller to report', async () => {
    server.enqueue(reply.status(401, 'bad key'));
    await expect(planner.plan(goal('anything'))).rejects.toMatchObject({ code: 'llm_request_invalid' });
    await expect(planner.plan(goal('anything'))).rejects.toBeInstanceOf(LlmError);
  });
});
