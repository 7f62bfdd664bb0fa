import { Logger, OnModuleDestroy } from '@nestjs/common';
import { CapabilitiesMessage, ToolCapability } from '@agentos/contracts';
import { CapabilityWaiters } from './capability-waiters';
import { ToolCatalog } from './tool-catalog';
import { WorkerPoolView } from './worker-pool-view';
import { WorkerTypeAvailability } from './worker-type-availability';

/** Epoch milliseconds now; injectable so tests control liveness. */
export type Clock = () => number;

interface LiveInstance {
  readonly workerType: string;
  readonly workerId: string;
  readonly concurrency: number;
  readonly tools: readonly ToolCapability[];
  readonly announcedAt: number;
  readonly validUntil: number;
}

function poolOf(workerType: string, instances: readonly LiveInstance[]): WorkerPoolView {
  const newestFirst = [...instances].sort((a, b) => b.announcedAt - a.announcedAt);
  const [newest, ...others] = newestFirst;
  const offeredByOthers = others.map((instance) => new Set(instance.tools.map((tool) => tool.name)));
  // Instances of a pool are interchangeable only in what they all offer: during a rolling
  // upgrade a new tool becomes plannable once every live instance has it.
  const tools = newest!.tools
    .filter((tool) => offeredByOthers.every((names) => names.has(tool.name)))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    workerType,
    instances: instances.length,
    concurrency: instances.reduce((sum, instance) => sum + instance.concurrency, 0),
    tools,
    toolNames: tools.map((tool) => tool.name),
  };
}

/**
 * The tool catalog built from workers' capability announcements. A worker instance is alive
 * until its announcement's time plus its ttl; a worker type is offered while one instance of
 * it is alive. Goals that arrive before a pool has announced wait on `whenOffered`.
 */
export class LiveToolCatalog implements ToolCatalog, WorkerTypeAvailability, OnModuleDestroy {
  private readonly logger = new Logger(LiveToolCatalog.name);
  private readonly instances = new Map<string, LiveInstance>();
  private readonly waiters = new CapabilityWaiters();
  private pools: ReadonlyMap<string, WorkerPoolView> = new Map();
  /** The pools above hold until the next change or the first instance's expiry, whichever comes first. */
  private poolsValidUntil = -Infinity;

  constructor(private readonly clock: Clock = Date.now) {}

  record(announcement: CapabilitiesMessage): void {
    const now = this.clock();
    const createdAt = Date.parse(announcement.createdAt);
    // The worker's own timestamp ages records replayed from the compacted topic; the receipt
    // time caps a worker clock running ahead of ours.
    const announcedAt = Number.isFinite(createdAt) ? Math.min(createdAt, now) : now;
    const previous = this.instances.get(announcement.workerId);
    if (previous && previous.announcedAt > announcedAt) return;
    const validUntil = announcedAt + announcement.ttlMs;
    if (validUntil <= now) return;

    const { workerType, workerId, concurrency, tools } = announcement;
    this.instances.set(workerId, { workerType, workerId, concurrency, tools, announcedAt, validUntil });
    this.poolsValidUntil = -Infinity;
    if (!previous || previous.workerType !== workerType) {
      this.logger.log(`worker ${workerId} of type ${workerType} is offering ${tools.length} tool(s)`);
    }
    if (this.waiters.size > 0) this.waiters.notify((type) => this.livePools().has(type));
  }

  workerTypes(): readonly string[] {
    return [...this.livePools().keys()].sort();
  }

  tools(workerType: string): readonly string[] | undefined {
    return this.livePools().get(workerType)?.toolNames;
  }

  /** One live worker type: instances, total concurrency, tools with their schemas (for the planner). */
  pool(workerType: string): WorkerPoolView | undefined {
    return this.livePools().get(workerType);
  }

  /** Every live worker type, sorted by name. */
  livePoolViews(): WorkerPoolView[] {
    return [...this.livePools().values()].sort((a, b) => a.workerType.localeCompare(b.workerType));
  }

  unavailable(workerTypes: Iterable<string>): string[] {
    const pools = this.livePools();
    return [...new Set(workerTypes)].filter((type) => !pools.has(type)).sort();
  }

  whenOffered(workerTypes: readonly string[], timeoutMs: number): Promise<boolean> {
    if (this.unavailable(workerTypes).length === 0) return Promise.resolve(true);
    return this.waiters.wait(workerTypes, timeoutMs);
  }

  onModuleDestroy(): void {
    this.waiters.cancelAll();
  }

  private livePools(): ReadonlyMap<string, WorkerPoolView> {
    const now = this.clock();
    if (now < this.poolsValidUntil) return this.pools;

    const byType = new Map<string, LiveInstance[]>();
    let validUntil = Infinity;
    for (const [workerId, instance] of this.instances) {
      if (instance.validUntil <= now) {
        this.instances.delete(workerId);
        this.logger.log(`worker ${workerId} of type ${instance.workerType} stopped announcing; no longer counted`);
        continue;
      }
      validUntil = Math.min(validUntil, instance.validUntil);
      const ofType = byType.get(instance.workerType);
      if (ofType) ofType.push(instance);
      else byType.set(instance.workerType, [instance]);
    }
    this.pools = new Map([...byType].map(([type, instances]) => [type, poolOf(type, instances)]));
    this.poolsValidUntil = validUntil;
    return this.pools;
  }
}
