import { JsonObject, TaskGraph } from '@agentos/contracts';
import { cleanRuns, Embedder, fillPlanTemplate, goalTemplate, isFailingShape, MemoryStore, normalizeGoalText, planShape, RunMemory, VectorIndex } from '@agentos/memory';
import { PastPlan } from '../planning/planning-prompt';
import { LearnedStats } from './learned-stats';

/** What memory offers a free-text goal before the planner is asked. */
export type PlanAdvice =
  | {
      readonly kind: 'reuse';
      readonly how: 'exact' | 'template';
      readonly graph: TaskGraph;
      /** What the `memory.decision` event says. */
      readonly decision: JsonObject;
    }
  | {
      readonly kind: 'plan';
      readonly examples: readonly PastPlan[];
      readonly embedding: Float32Array | undefined;
      readonly decision: JsonObject | undefined;
    };

interface ReusablePlan {
  readonly goalId: string;
  readonly goalText: string;
  readonly graph: TaskGraph;
}

export interface PlanAdvisorOptions {
  readonly reuse: boolean;
  readonly examples: number;
  readonly minSimilarity: number;
}

/** Plans of recently succeeded goals kept in process, by key, so reuse does not wait for the store's write. */
const RECENT_PLANS = 4_096;

function remember(map: Map<string, ReusablePlan>, key: string, plan: ReusablePlan): void {
  map.delete(key);
  map.set(key, plan);
  if (map.size > RECENT_PLANS) map.delete(map.keys().next().value!);
}

function graphOf(run: RunMemory): TaskGraph {
  return run.plan as unknown as TaskGraph;
}

/**
 * Plan reuse and planning examples. A goal whose normalised text, or template, matches a past
 * succeeded goal gets that goal's plan (parameters filled in) with no LLM call; otherwise the
 * most similar past succeeded goals go to the planner as examples, each with its plan shape's
 * track record, so shapes with a failure history are flagged.
 */
export class PlanAdvisor {
  private readonly byNormalizedGoal = new Map<string, ReusablePlan>();
  private readonly byTemplate = new Map<string, ReusablePlan>();

  constructor(
    private readonly store: MemoryStore,
    private readonly embedder: Embedder,
    private readonly index: VectorIndex,
    private readonly succeeded: ReadonlySet<string>,
    private readonly stats: LearnedStats,
    private readonly options: PlanAdvisorOptions,
  ) {}

  /** A goal succeeded: its plan is reusable at once. */
  learn(goalId: string, goalText: string, graph: TaskGraph): void {
    const plan = { goalId, goalText, graph };
    remember(this.byNormalizedGoal, normalizeGoalText(goalText), plan);
    remember(this.byTemplate, goalTemplate(goalText).key, plan);
  }

  async advise(goalText: string): Promise<PlanAdvice> {
    if (this.options.reuse) {
      const reused = await this.reuse(goalText);
      if (reused) return reused;
    }
    if (this.options.examples === 0 || this.index.size === 0) return { kind: 'plan', examples: [], embedding: undefined, decision: undefined };
    const [embedding] = await this.embedder.embed([goalText]);
    const neighbours = this.index.search(embedding!, this.options.examples, (goalId) => this.succeeded.has(goalId));
    const examples: PastPlan[] = [];
    for (const { id, score } of neighbours) {
      if (score < this.options.minSimilarity) continue;
      const run = await this.store.run(id);
      if (run) examples.push(this.pastPlan(run, score));
    }
    const decision: JsonObject | undefined =
      examples.length === 0
        ? undefined
        : {
            decision: 'plan_examples',
            examples: examples.map((example) => ({ goalId: example.goalId, similarity: example.similarity, flagged: example.flagged })),
          };
    return { kind: 'plan', examples, embedding, decision };
  }

  private async reuse(goalText: string): Promise<PlanAdvice | undefined> {
    const normalized = normalizeGoalText(goalText);
    const target = goalTemplate(goalText);
    const exact = this.byNormalizedGoal.get(normalized) ?? fromRun(await this.store.latestSucceededByNormalizedGoal(normalized));
    const candidates: Array<['exact' | 'template', ReusablePlan | undefined]> = [['exact', exact]];
    if (!exact) candidates.push(['template', this.byTemplate.get(target.key) ?? fromRun(await this.store.latestSucceededByTemplate(target.key))]);
    for (const [how, past] of candidates) {
      if (!past) continue;
      const fill = fillPlanTemplate(past.graph, goalTemplate(past.goalText), target);
      if (!fill.ok) continue;
      return {
        kind: 'reuse',
        how,
        graph: fill.plan,
        decision: {
          decision: 'plan_reuse',
          how,
          fromGoalId: past.goalId,
          substitutions: fill.substitutions.map(({ from, to }) => ({ from, to })),
          llmCallsSaved: 1,
        },
      };
    }
    return undefined;
  }

  private pastPlan(run: RunMemory, similarity: number): PastPlan {
    const graph = graphOf(run);
    const shape = this.stats.shape(planShape(graph));
    const firstShape = run.planShape !== planShape(graph) ? this.stats.shape(run.planShape) : undefined;
    return {
      goalId: run.goalId,
      goal: run.goalText,
      similarity: Math.round(similarity * 1_000) / 1_000,
      plan: graph,
      shapeRuns: shape?.runs ?? 0,
      shapeCleanRuns: shape ? cleanRuns(shape) : 0,
      flagged: shape !== undefined && isFailingShape(shape),
      ...(firstShape && isFailingShape(firstShape) ? { replacedFailingPlan: true } : {}),
    };
  }
}

function fromRun(run: RunMemory | undefined): ReusablePlan | undefined {
  return run ? { goalId: run.goalId, goalText: run.goalText, graph: graphOf(run) } : undefined;
}
