import { Logger } from '@nestjs/common';
import { TaskGraph } from '@agentos/contracts';
import { Embedder, MemoryStore, planShape, RunMemory, VectorIndex } from '@agentos/memory';
import { seededRandom } from '@agentos/runtime';
import { Run } from '../runs/run';
import { finishedRun, LlmSpend, reroutedOutcome } from './finished-run';
import { GoalTrace, PlanSource } from './goal-trace';
import { LearnedStats } from './learned-stats';
import { MemoryRecorder } from './memory-recorder';
import { PlanAdvice, PlanAdvisor } from './plan-advisor';
import { RecoveryChoice, RecoveryChooser, RecoveryQuestion } from './recovery-chooser';
import { Assignment, ToolOffering, WorkerAssigner } from './worker-assigner';
import { SupervisorMemoryConfig } from './supervisor-memory.config';

/**
 * The supervisor's semantic memory: what it learned from every finished goal, and the decisions
 * that learning changes (plan reuse and examples, worker-type assignment, recovery strategy).
 * Decisions are synchronous reads of in-process statistics; the store is written behind.
 */
export class SupervisorMemory {
  private readonly logger = new Logger(SupervisorMemory.name);
  private readonly advisor: PlanAdvisor;
  private readonly assigner: WorkerAssigner;
  private readonly recovery: RecoveryChooser;
  private readonly recorder: MemoryRecorder;
  private refreshTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly store: MemoryStore,
    readonly embedder: Embedder,
    private readonly config: SupervisorMemoryConfig,
    readonly stats: LearnedStats,
    private readonly index: VectorIndex,
    private readonly succeeded: Set<string>,
  ) {
    const random = seededRandom(config.SUPERVISOR_MEMORY_SEED ?? Math.floor(Math.random() * 2 ** 31));
    this.advisor = new PlanAdvisor(store, embedder, index, succeeded, stats, {
      reuse: config.SUPERVISOR_MEMORY_PLAN_REUSE,
      examples: config.SUPERVISOR_MEMORY_EXAMPLES,
      minSimilarity: config.SUPERVISOR_MEMORY_MIN_SIMILARITY,
    });
    this.assigner = new WorkerAssigner(stats, random);
    this.recovery = new RecoveryChooser(stats, this.assigner, random, config.SUPERVISOR_MEMORY_MIN_EVIDENCE);
    this.recorder = new MemoryRecorder(store, embedder, config.SUPERVISOR_MEMORY_MAX_PENDING, (run) => this.indexed(run));
  }

  /** Loads what the store holds: aggregates, and every embedding of this embedder's model into the search index. */
  static async open(store: MemoryStore, embedder: Embedder, config: SupervisorMemoryConfig): Promise<SupervisorMemory> {
    const [tools, recoveries, shapes, embeddings] = await Promise.all([store.toolStats(), store.recoveryStats(), store.planShapes(), store.embeddings(embedder.model)]);
    const index = new VectorIndex({ dimensions: embedder.dimensions, initialCapacity: Math.max(64, embeddings.length) });
    const succeeded = new Set<string>();
    for (const stored of embeddings) {
      if (stored.embedding.length !== embedder.dimensions) continue;
      index.add(stored.goalId, stored.embedding);
      if (stored.status === 'succeeded') succeeded.add(stored.goalId);
    }
    const memory = new SupervisorMemory(store, embedder, config, LearnedStats.fromStore(tools, recoveries, shapes), index, succeeded);
    if (config.SUPERVISOR_MEMORY_REFRESH_MS > 0) memory.refreshEvery(config.SUPERVISOR_MEMORY_REFRESH_MS);
    memory.logger.log(`memory (${store.kind}) loaded: ${embeddings.length} past goal(s), ${tools.length} tool/worker-type pair(s), ${shapes.length} plan shape(s)`);
    return memory;
  }

  /** Before planning a free-text goal: a past plan to reuse, or examples for the planner. */
  advisePlan(goalText: string): Promise<PlanAdvice> {
    return this.advisor.advise(goalText);
  }

  assign(graph: TaskGraph, offering: ToolOffering): Assignment {
    return this.assigner.assign(graph, offering);
  }

  /** How to recover from a failure; the choice is followed in the goal's trace and settled when it ends. */
  chooseRecovery(run: Run, index: number, question: RecoveryQuestion): RecoveryChoice {
    const choice = this.recovery.choose(question);
    const node = run.plan.nodes[index]!;
    if (choice.action === 'reroute' && run.trace) run.trace.rerouted.push(reroutedOutcome(run, index, run.trace, question.error.code));
    run.trace?.recoveries.push({
      taskId: node.id,
      tool: node.tool,
      workerType: node.workerType,
      failureCode: question.error.code,
      strategy: choice.action,
      failedAttempt: run.attempts[index]!,
      taskCostBefore: run.costs[index]!,
      llmCost: 0,
      standIns: [],
    });
    return choice;
  }

  startTrace(source: PlanSource, graph: TaskGraph, embedding?: Float32Array): GoalTrace {
    return new GoalTrace(source, planShape(graph), embedding);
  }

  /** Cost units of LLM tokens. */
  llmCost(tokens: number): number {
    return (tokens / 1_000) * this.config.SUPERVISOR_MEMORY_LLM_COST_PER_1K_TOKENS;
  }

  /** A goal ended: learned from at once, written to the store behind. */
  finished(run: Run, llm: { readonly calls: number; readonly tokens: number }): void {
    const trace = run.trace;
    if (!trace) return;
    const spend: LlmSpend = { ...llm, cost: this.llmCost(llm.tokens) };
    const record = finishedRun(run, trace, spend);
    // The embedding arrives with the store's write; the statistics count the run now.
    this.stats.add(record);
    if (record.status === 'succeeded') this.advisor.learn(record.goalId, record.goalText, run.plan.graph);
    this.recorder.enqueue(record, trace.embedding);
  }

  /**
   * Reloads the statistics from the store, which holds what every supervisor instance sharing it
   * recorded, plus this instance's runs not written yet. Plans other instances recorded are found
   * anyway (reuse asks the store on a local miss); their goals join the similarity index at the
   * next start.
   */
  async refresh(): Promise<void> {
    const unwritten = this.recorder.unwritten();
    const [tools, recoveries, shapes] = await Promise.all([this.store.toolStats(), this.store.recoveryStats(), this.store.planShapes()]);
    const fresh = LearnedStats.fromStore(tools, recoveries, shapes);
    // Written meanwhile, a run may count twice until the next refresh: a small, self-correcting error.
    for (const run of unwritten) fresh.add(run);
    this.stats.replaceWith(fresh);
  }

  private refreshEvery(intervalMs: number): void {
    let failures = 0;
    this.refreshTimer = setInterval(() => {
      this.refresh().then(
        () => (failures = 0),
        (error: unknown) => {
          if (failures++ === 0) this.logger.warn(`reloading what memory learned failed (kept the current statistics): ${(error as Error).message}`);
        },
      );
    }, intervalMs);
    this.refreshTimer.unref();
  }

  get pendingWrites(): number {
    return this.recorder.pending;
  }

  /** Waits for every finished goal to be written. */
  flush(): Promise<void> {
    return this.recorder.flush();
  }

  async close(): Promise<void> {
    clearInterval(this.refreshTimer);
    await this.recorder.flush();
    await this.store.close();
  }

  private indexed(run: RunMemory): void {
    if (run.embedding.length !== this.index.dimensions) return;
    if (this.index.has(run.goalId)) this.index.remove(run.goalId);
    this.index.add(run.goalId, run.embedding);
    if (run.status === 'succeeded') this.succeeded.add(run.goalId);
    else this.succeeded.delete(run.goalId);
  }
}
