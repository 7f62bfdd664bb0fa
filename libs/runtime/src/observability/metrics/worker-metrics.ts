import { Registry } from 'prom-client';
import { collectedCounter, collectedGauge } from './collected-metrics';
import { GaugeSources } from './gauge-sources';
import { HistogramTally, TASK_DURATION_BUCKETS_SECONDS } from './histogram-tally';
import { SeriesCells } from './series-cells';
import { TallyHistogram } from './tally-histogram';

/** One (worker type, tool) pair as a worker sees it. */
class ExecutedTasks {
  succeeded = 0;
  failed = 0;
  readonly duration = new HistogramTally(TASK_DURATION_BUCKETS_SECONDS);
}

/** A worker's executor now: read on scrape. */
export interface WorkerGaugeSource {
  readonly workerType: string;
  /** Tasks accepted and not yet reported: running, or waiting for a slot. */
  inFlight(): number;
  /** Most tools it runs at once. */
  concurrencyLimit(): number;
}

/** The label for a task naming a tool its worker does not have: tool names from the wire must not become series. */
export const UNKNOWN_TOOL_LABEL = 'unknown';

/**
 * A worker's metrics: attempts by outcome and the tool's own run time, by worker type and tool,
 * and the executor's in-flight tasks and limit. Recording allocates nothing (per-task path).
 */
export class WorkerMetrics {
  private readonly tasks = new SeriesCells(() => new ExecutedTasks());
  private readonly executors = new GaugeSources<WorkerGaugeSource>();

  constructor(registry: Registry) {
    collectedCounter({
      registry,
      name: 'agentos_worker_tasks_total',
      help: 'Task attempts a worker executed and reported, by worker type, tool and status (succeeded, failed).',
      labelNames: ['worker_type', 'tool', 'status'],
      collect: (emit) =>
        this.tasks.forEach((cell, worker_type, tool) => {
          emit({ worker_type, tool, status: 'succeeded' }, cell.succeeded);
          emit({ worker_type, tool, status: 'failed' }, cell.failed);
        }),
    });
    new TallyHistogram({
      registry,
      name: 'agentos_worker_task_duration_seconds',
      help: "A tool's run time on the worker, from its slot acquired to the tool settled (about 0 for tasks refused or cancelled before they ran), by worker type and tool.",
      labelNames: ['worker_type', 'tool'],
      buckets: TASK_DURATION_BUCKETS_SECONDS,
      series: this.tasks,
      tally: (cell) => cell.duration,
    });
    collectedGauge({
      registry,
      name: 'agentos_worker_tasks_in_flight',
      help: "Tasks a worker accepted and has not reported yet (running or waiting for a slot), by worker type.",
      labelNames: ['worker_type'],
      collect: (emit) => this.executors.sum((executor) => [executor.workerType], (executor) => executor.inFlight(), (worker_type, value) => emit({ worker_type }, value)),
    });
    collectedGauge({
      registry,
      name: 'agentos_worker_concurrency_limit',
      help: 'Most tools a worker runs at once, by worker type.',
      labelNames: ['worker_type'],
      collect: (emit) =>
        this.executors.sum((executor) => [executor.workerType], (executor) => executor.concurrencyLimit(), (worker_type, value) => emit({ worker_type }, value)),
    });
  }

  /** An attempt reported after the tool ran for `seconds`; `tool` is UNKNOWN_TOOL_LABEL when the worker has no such tool. */
  taskExecuted(workerType: string, tool: string, succeeded: boolean, seconds: number): void {
    const cell = this.tasks.get(workerType, tool);
    if (succeeded) cell.succeeded++;
    else cell.failed++;
    cell.duration.observe(seconds);
  }

  /** Reports an executor until the returned function is called. */
  trackExecutor(source: WorkerGaugeSource): () => void {
    return this.executors.add(source);
  }
}
