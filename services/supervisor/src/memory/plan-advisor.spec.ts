import { TaskGraph } from '@agentos/contracts';
import { LocalHashEmbedder, RunMemory, SqliteMemoryStore, VectorIndex } from '@agentos/memory';
import { LearnedStats } from './learned-stats';
import { PlanAdvice, PlanAdvisor, PlanAdvisorOptions } from './plan-advisor';
import { goalRun, planOutcomes } from './testing/run-memory.builders';

const embedder = new LocalHashEmbedder();
const DEFAULTS: PlanAdvisorOptions = { reuse: true, examples: 3, minSimilarity: 0.5 };

/** The plan a planner would make for "Total orders in <path> above <threshold>". */
function ordersPlan(path: string, threshold: number): TaskGraph {
  return {
    tasks: [
      { id: 'read', workerType: 'io', tool: 'fs.read', input: { path } },
      { id: 'parse', workerType: 'logic', tool: 'csv.parse', input: { text: { $ref: 'read.content' } } },
      { id: 'total', workerType: 'logic', tool: 'math.evaluate', input: { rows: { $ref: 'parse.rows' }, above: threshold } },
    ],
    outputs: ['total'],
  };
}

/** A plan holding the threshold only in a derived form (`250.0`): re-filling it with another value is not safe. */
function derivedThresholdPlan(path: string): TaskGraph {
  return { tasks: [{ id: 'read', workerType: 'io', tool: 'fs.read', input: { path } }, { id: 'total', workerType: 'logic', tool: 'math.evaluate', input: { expression: 'sum > 250.0' }, dependsOn: ['read'] }] };
}

let store: SqliteMemoryStore;
let clock = 1_700_000_000_000;

beforeEach(async () => {
  store = new SqliteMemoryStore({ path: ':memory:' });
  await store.migrate();
});

afterEach(async () => {
  await store.close();
});

/** Records a finished goal the way the supervisor does (plan, shape, template, embedding). */
async function record(goalId: string, goalText: string, graph: TaskGraph, extra: Partial<RunMemory> = {}): Promise<RunMemory> {
  const succeeded = (extra.status ?? 'succeeded') === 'succeeded';
  const run = goalRun(goalId, goalText, graph, embedder, {
    startedAt: clock,
    finishedAt: (clock += 1_000),
    tasks: planOutcomes(graph, succeeded ? 'succeeded' : 'failed', { cost: 0.1, errorCodes: succeeded ? [] : ['logic_error'] }),
    ...extra,
  });
  await store.recordRun(run);
  return run;
}

/** An advisor with empty caches over what the store holds, loaded as `SupervisorMemory.open` does. */
async function advisorOverStore(options: Partial<PlanAdvisorOptions> = {}, stats = new LearnedStats()): Promise<PlanAdvisor> {
  const index = new VectorIndex({ dimensions: embedder.dimensions });
  const succeeded = new Set<string>();
  for (const stored of await store.embeddings(embedder.model)) {
    index.add(stored.goalId, stored.embedding);
    if (stored.status === 'succeeded') succeeded.add(stored.goalId);
  }
  return new PlanAdvisor(store, embedder, index, succeeded, stats, { ...DEFAULTS, ...options });
}

function reused(advice: PlanAdvice): Extract<PlanAdvice, { kind: 'reuse' }> {
  if (advice.kind !== 'reuse') throw new Error(`expected a plan to reuse, got ${JSON.stringify(advice)}`);
  return advice;
}

function planned(advice: PlanAdvice): Extract<PlanAdvice, { kind: 'plan' }> {
  if (advice.kind !== 'plan') throw new Error(`expected advice for the planner, got ${JSON.stringify(advice)}`);
  return advice;
}

describe('PlanAdvisor', () => {
  describe('reuse of a plan learned in this process', () => {
    it('reuses the plan of a goal with the same normalised text, with no store write needed', async () => {
      const advisor = await advisorOverStore();
      const plan = ordersPlan('data/orders-7.csv', 250);
      advisor.learn('g-7', 'Total orders in data/orders-7.csv above 250', plan);

      const advice = reused(await advisor.advise('  total ORDERS in data/orders-7.csv above 250!'));
      expect(advice.how).toBe('exact');
      expect(advice.graph).toEqual(plan);
      expect(advice.decision).toEqual({ decision: 'plan_reuse', how: 'exact', fromGoalId: 'g-7', substitutions: [], llmCallsSaved: 1 });
      expect(await store.count()).toBe(0);
    });

    it('hands out a copy, so a run changing its plan leaves the remembered one intact', async () => {
      const advisor = await advisorOverStore();
      const plan = ordersPlan('data/orders-7.csv', 250);
      advisor.learn('g-7', 'Total orders in data/orders-7.csv above 250', plan);
      const first = reused(await advisor.advise('Total orders in data/orders-7.csv above 250'));
      expect(first.graph).not.toBe(plan);
      (first.graph.tasks as TaskGraph['tasks'][number][])[0] = { ...first.graph.tasks[0]!, workerType: 'elsewhere' };
      expect(reused(await advisor.advise('Total orders in data/orders-7.csv above 250')).graph).toEqual(ordersPlan('data/orders-7.csv', 250));
    });

    it('reuses the plan of a goal of the same template with its values substituted', async () => {
      const advisor = await advisorOverStore();
      advisor.learn('g-7', 'Total orders in data/orders-7.csv above 250', ordersPlan('data/orders-7.csv', 250));

      const advice = reused(await advisor.advise('Total orders in data/orders-9.csv above 300'));
      expect(advice.how).toBe('template');
      expect(advice.graph).toEqual(ordersPlan('data/orders-9.csv', 300));
      expect(advice.decision).toEqual({
        decision: 'plan_reuse',
        how: 'template',
        fromGoalId: 'g-7',
        substitutions: [
          { from: 'data/orders-7.csv', to: 'data/orders-9.csv' },
          { from: '250', to: '300' },
        ],
        llmCallsSaved: 1,
      });
    });

    it('prefers the latest plan learned for a goal', async () => {
      const advisor = await advisorOverStore();
      advisor.learn('old', 'Total orders in data/orders-7.csv above 250', ordersPlan('data/orders-7.csv', 250));
      const better = { ...ordersPlan('data/orders-7.csv', 250), outputs: ['parse', 'total'] };
      advisor.learn('new', 'Total orders in data/orders-7.csv above 250', better);
      const advice = reused(await advisor.advise('Total orders in data/orders-7.csv above 250'));
      expect(advice.decision['fromGoalId']).toBe('new');
      expect(advice.graph).toEqual(better);
    });

    it('does not reuse a plan for a goal of another template', async () => {
      const advisor = await advisorOverStore();
      advisor.learn('g-7', 'Total orders in data/orders-7.csv above 250', ordersPlan('data/orders-7.csv', 250));
      expect((await advisor.advise('Total refunds in data/orders-7.csv above 250')).kind).toBe('plan');
    });
  });

  it('refuses to reuse a plan whose values cannot be substituted safely, and gives it as an example instead', async () => {
    const text = 'Total orders in data/orders-7.csv above 250';
    await record('g-derived', text, derivedThresholdPlan('data/orders-7.csv'));
    const advisor = await advisorOverStore();
    advisor.learn('g-derived', text, derivedThresholdPlan('data/orders-7.csv'));

    const advice = planned(await advisor.advise('Total orders in data/orders-9.csv above 300'));
    expect(advice.examples.map((example) => example.goalId)).toEqual(['g-derived']);
    expect(advice.examples[0]!.similarity).toBeGreaterThanOrEqual(DEFAULTS.minSimilarity);
    expect(advice.examples[0]!.plan).toEqual(derivedThresholdPlan('data/orders-7.csv'));
  });

  describe('reuse from the store after a restart', () => {
    it('finds a past goal by its normalised text and by its template', async () => {
      await record('g-7', 'Total orders in data/orders-7.csv above 250', ordersPlan('data/orders-7.csv', 250));
      const advisor = await advisorOverStore();

      const exact = reused(await advisor.advise('TOTAL orders in data/orders-7.csv, above 250.'));
      expect(exact.how).toBe('exact');
      expect(exact.decision['fromGoalId']).toBe('g-7');
      expect(exact.graph).toEqual(ordersPlan('data/orders-7.csv', 250));

      const template = reused(await advisor.advise('Total orders in data/orders-12.csv above 75'));
      expect(template.how).toBe('template');
      expect(template.graph).toEqual(ordersPlan('data/orders-12.csv', 75));
    });

    it('reuses only plans of goals that succeeded', async () => {
      const text = 'Total orders in data/orders-7.csv above 250';
      await record('ok', text, ordersPlan('data/orders-7.csv', 250));
      await record('later-failed', text, { ...ordersPlan('data/orders-7.csv', 250), outputs: ['read'] }, { status: 'failed' });
      const advice = reused(await (await advisorOverStore()).advise(text));
      expect(advice.decision['fromGoalId']).toBe('ok');

      await record('only-failed', 'Total refunds in data/r.csv above 9', ordersPlan('data/r.csv', 9), { status: 'failed' });
      expect((await (await advisorOverStore()).advise('Total refunds in data/r.csv above 9')).kind).toBe('plan');
    });
  });

  describe('examples for the planner', () => {
    const query = 'Total all orders in data/orders-4.csv above 130';
    const similar = [
      ['count', 'Count the orders in data/orders-3.csv above 120'],
      ['total-that', 'Total the orders in data/orders-3.csv that are above 120'],
      ['sum-region', 'Sum the orders in data/orders-5.csv above 90 by region'],
      ['total', 'Total orders in data/orders-7.csv above 250'],
    ] as const;

    async function recordFamily(): Promise<void> {
      for (const [goalId, text] of similar) await record(goalId, text, ordersPlan('data/x.csv', 1));
      await record('poem', 'Translate the poem into French', { tasks: [{ id: 'say', workerType: 'logic', tool: 'text.translate', input: { to: 'fr' } }] });
      // The nearest goal of all, the query itself, but it failed: never an example.
      await record('failed-same', query, ordersPlan('data/orders-4.csv', 130), { status: 'failed' });
    }

    it('gives the most similar goals that succeeded, above the similarity floor, best first', async () => {
      await recordFamily();
      const advice = planned(await (await advisorOverStore()).advise(query));
      const ids = advice.examples.map((example) => example.goalId);
      expect(ids).toHaveLength(DEFAULTS.examples);
      expect(ids).not.toContain('failed-same');
      expect(ids).not.toContain('poem');
      for (const id of ids) expect(similar.map(([goalId]) => goalId)).toContain(id);
      const similarities = advice.examples.map((example) => example.similarity);
      expect([...similarities].sort((a, b) => b - a)).toEqual(similarities);
      for (const similarity of similarities) expect(similarity).toBeGreaterThanOrEqual(DEFAULTS.minSimilarity);
      expect(advice.embedding).toEqual(embedder.embedText(query));
      expect(advice.decision).toEqual({
        decision: 'plan_examples',
        examples: advice.examples.map((example) => ({ goalId: example.goalId, similarity: example.similarity, flagged: false })),
      });
      const byId = new Map<string, string>(similar);
      for (const example of advice.examples) {
        expect(example.goal).toBe(byId.get(example.goalId));
        expect(example.plan).toEqual(ordersPlan('data/x.csv', 1));
      }
    });

    it('gives none below the similarity floor', async () => {
      await recordFamily();
      const advice = planned(await (await advisorOverStore()).advise('Translate the invoice into German'));
      for (const example of advice.examples) expect(example.similarity).toBeGreaterThanOrEqual(DEFAULTS.minSimilarity);
      const strict = planned(await (await advisorOverStore({ minSimilarity: 0.99 })).advise(query));
      expect(strict).toEqual({ kind: 'plan', examples: [], embedding: expect.any(Float32Array), decision: undefined });
    });

    it('flags an example whose plan shape has a failure history', async () => {
      const troubled = { ...ordersPlan('data/x.csv', 1), outputs: ['parse', 'total'] };
      await record('troubled', 'Count the orders in data/orders-3.csv above 120', troubled);
      await record('healthy', 'Total the orders in data/orders-3.csv that are above 120', ordersPlan('data/x.csv', 1));
      const stats = new LearnedStats();
      for (const [i, status] of (['succeeded', 'failed', 'failed'] as const).entries()) {
        stats.add(await record(`history-${i}`, `unrelated goal number ${i}`, troubled, { status }));
      }
      stats.add(await record('history-ok', 'another unrelated goal', ordersPlan('data/x.csv', 1)));

      const advice = planned(await (await advisorOverStore({}, stats)).advise(query));
      const byId = new Map(advice.examples.map((example) => [example.goalId, example]));
      expect(byId.get('troubled')).toEqual(expect.objectContaining({ flagged: true, shapeRuns: 3, shapeCleanRuns: 1 }));
      expect(byId.get('healthy')).toEqual(expect.objectContaining({ flagged: false, shapeRuns: 1, shapeCleanRuns: 1 }));
      expect(byId.get('healthy')!.replacedFailingPlan).toBeUndefined();
    });

    it('says when an example’s plan replaced a first plan with a failure history', async () => {
      const stats = new LearnedStats();
      stats.add(await record('first-try', 'unrelated goal', ordersPlan('data/x.csv', 1), { planShape: 'failing-first-shape', status: 'failed' }));
      await record('replanned', 'Count the orders in data/orders-3.csv above 120', ordersPlan('data/x.csv', 1), { planShape: 'failing-first-shape' });
      const advice = planned(await (await advisorOverStore({}, stats)).advise(query));
      expect(advice.examples.find((example) => example.goalId === 'replanned')?.replacedFailingPlan).toBe(true);
    });
  });

  it('does not reuse plans when reuse is off', async () => {
    const text = 'Total orders in data/orders-7.csv above 250';
    await record('g-7', text, ordersPlan('data/orders-7.csv', 250));
    const advisor = await advisorOverStore({ reuse: false });
    advisor.learn('g-7', text, ordersPlan('data/orders-7.csv', 250));
    const advice = planned(await advisor.advise(text));
    expect(advice.examples.map((example) => example.goalId)).toEqual(['g-7']);
  });

  it('gives no examples, and embeds nothing, when examples are off', async () => {
    await record('count', 'Count the orders in data/orders-3.csv above 120', ordersPlan('data/x.csv', 1));
    const advice = await (await advisorOverStore({ examples: 0 })).advise('Total all orders in data/orders-4.csv above 130');
    expect(advice).toEqual({ kind: 'plan', examples: [], embedding: undefined, decision: undefined });
  });

  it('gives no examples, and embeds nothing, while memory holds no goal', async () => {
    expect(await (await advisorOverStore()).advise('Total all orders in data/orders-4.csv above 130')).toEqual({
      kind: 'plan',
      examples: [],
      embedding: undefined,
      decision: undefined,
    });
  });
});
