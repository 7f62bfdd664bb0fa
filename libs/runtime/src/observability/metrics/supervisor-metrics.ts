import { Registry } from 'prom-client';
import { collectedCounter, collectedGauge } from './collected-metrics';
import { HistogramTally, TASK_DURATION_BUCKETS_SECONDS } from './histogram-tally';
import { SeriesCells } from './series-cells';
import { TallyHistogram } from './tally-histogram';
import { GaugeSources } from './gauge-sources';

/** One (worker type, tool) pair as the supervisor sees it. */
class DispatchedTasks {
  dispatched = 0;
  succeeded = 0;
  failed = 0;
  readonly duration = new HistogramTally(TASK_DURATION_BUCKETS_SECONDS);
}

class Total {
  value = 0;
}

/** What the supervisor's worker pools look like now: read on scrape (see PoolLimits). */
export interface PoolGaugeSource {
  workerTypes(): Iterable<string>;
  /** Tasks dispatched to the pool and not yet settled. */
  inFlightOf(workerType: string): number;
  /** The pool's dispatch limit now (what AIMD moves between 1 and the ceiling). */
  limit(workerType: string): number;
}

/**
 * The supervisor's metrics: goals by final status, tasks by status with dispatch-to-result
 * latency, pools' in-flight tasks and limits, memory decisions and LLM tokens. Recording is a
 * Map lookup and an increment, no allocation: it sits on the per-task path.
 */
export class SupervisorMetrics {
  private readonly tasks = new SeriesCells(() => new DispatchedTasks());
  private readonly goals = new SeriesCells(() => new Total(), 32);
  private readonly memoryDecisions = new SeriesCells(() => new Total(), 32);
  private readonly llmTokens = { prompt: 0, completion: 0 };
  private readonly pools = new GaugeSources<PoolGaugeSource>();

  constructor(registry: Registry) {
    collectedCounter({
      registry,
      name: 'agentos_goals_total',
      help: 'Goals that reached a final status (succeeded, failed, cancelled, rejected), by status.',
      labelNames: ['status'],
      collect: (emit) => this.goals.forEach((total, status) => emit({ status }, total.value)),
    });
    collectedCounter({
      registry,
      name: 'agentos_tasks_total',
      help: 'Task attempts the supervisor dispatched, and how they settled (failed includes attempts that timed out without a result), by worker type and tool.',
      labelNames: ['worker_type', 'tool', 'status'],
      collect: (emit) =>
        this.tasks.forEach((cell, worker_type, tool) => {
          emit({ worker_type, tool, status: 'dispatched' }, cell.dispatched);
          emit({ worker_type, tool, status: 'succeeded' }, cell.succeeded);
          emit({ worker_type, tool, status: 'failed' }, cell.failed);
        }),
    });
    new TallyHistogram({
      registry,
      name: 'agentos_task_duration_seconds',
      help: "Dispatch to result of task attempts that returned a result, as the supervisor measures it, by worker type and tool.",
      labelNames: ['worker_type', 'tool'],
      buckets: TASK_DURATION_BUCKETS_SECONDS,
      series: this.tasks,
      tally: (cell) => cell.duration,
    });
    collectedGauge({
      registry,
      name: 'agentos_tasks_in_flight',
      help: 'Tasks the supervisor dispatched and has no result for yet, by worker type.',
      labelNames: ['worker_type'],
      collect: (emit) => this.pools.sum((pool) => pool.workerTypes(), (pool, workerType) => pool.inFlightOf(workerType), (worker_type, value) => emit({ worker_type }, value)),
    });
    collectedGauge({
      registry,
      name: 'agentos_pool_concurrency_limit',
      help: "A worker type's dispatch limit now: the configured or operator-set ceiling, lowered by rate limits (AIMD).",
      labelNames: ['worker_type'],
      collect: (emit) => this.pools.sum((pool) => pool.workerTypes(), (pool, workerType) => pool.limit(workerType), (worker_type, value) => emit({ worker_type }, value)),
    });
    collectedCounter({
      registry,
      name: 'agentos_memory_decisions_total',
      help: 'Decisions semantic memory made (plan_reuse, plan_examples, assignment, recovery), by kind.',
      labelNames: ['kind'],
      collect: (emit) => this.memoryDecisions.forEach((total, kind) => emit({ kind }, total.value)),
    });
    collectedCounter({
      registry,
      name: 'agentos_llm_tokens_total',
      help: 'Tokens the LLM endpoint reported for the supervisor\'s requests, by kind (prompt, completion).',
      labelNames: ['kind'],
      collect: (emit) => {
        emit({ kind: 'prompt' }, this.llmTokens.prompt);
        emit({ kind: 'completion' }, this.llmTokens.completion);
      },
    });
  }

  taskDispatched(workerType: string, tool: string): void {
    this.tasks.get(workerType, tool).dispatched++;
  }

  /** A result arrived `seconds` after its dispatch. */
  taskSucceeded(workerType: string, tool: string, seconds: number): void {
    const cell = this.tasks.get(workerType, tool);
    cell.succeeded++;
    cell.duration.observe(seconds);
  }

  /** A failed result after `seconds`, or (without `seconds`) an attempt that timed out with none. */
  taskFailed(workerType: string, tool: string, seconds?: number): void {
    const cell = this.tasks.get(workerType, tool);
    cell.failed++;
    if (seconds !== undefined) cell.duration.observe(seconds);
  }

  /** `status`: succeeded, failed, cancelled or rejected. */
  goalFinished(status: string): void {
    this.goals.get(status).value++;
  }

  memoryDecision(kind: string): void {
    this.memoryDecisions.get(kind).value++;
  }

  llmUsage(promptTokens: number, completionTokens: number): void {
    this.llmTokens.prompt += promptTokens;
    this.llmTokens.completion += completionTokens;
  }

  /** Reports a supervisor's pools until the returned function is called. */
  trackPools(source: PoolGaugeSource): () => void {
    return this.pools.add(source);
  }
}
