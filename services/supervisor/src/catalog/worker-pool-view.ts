import { ToolCapability } from '@agentos/contracts';

/** What the supervisor knows of one worker type from its live instances' announcements. */
export interface WorkerPoolView {
  readonly workerType: string;
  /** Instances whose announcement is still valid. */
  readonly instances: number;
  /** Their concurrency added up: tools the pool can run at once. */
  readonly concurrency: number;
  /** Tools every live instance offers, by name, with the newest announcement's schemas. */
  readonly tools: readonly ToolCapability[];
  /** The same tools' names, sorted. */
  readonly toolNames: readonly string[];
}
