import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ANY_GOAL, CapabilitiesMessage, LIMITS, newEnvelope, ToolCapability, TopicRegistry } from '@agentos/contracts';
import { MessageBus } from '@agentos/runtime';
import { Tool } from '../tools/tool';
import { WorkerSettings } from '../nest/worker-settings';
import { toolCapabilities } from './tool-capabilities';

export const DEFAULT_ANNOUNCE_INTERVAL_MS = 10_000;
/** An announcement outlives a few missed renewals, so one slow publish does not make a worker vanish. */
export const ANNOUNCEMENT_TTL_INTERVALS = 3;

export interface CapabilityAnnouncerOptions {
  readonly settings: WorkerSettings;
  readonly tools: readonly Tool[];
  /** The instance's concurrency now (a set_concurrency signal may have changed it); settings.concurrency by default. */
  readonly concurrency?: () => number;
}

/**
 * Tells the supervisors what this worker instance offers: its worker type, tools (with their
 * input and output JSON Schemas) and concurrency, on start-up and then every interval, on the
 * compacted capabilities topic keyed by workerId.
 */
export class CapabilityAnnouncer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CapabilityAnnouncer.name);
  private readonly tools: readonly ToolCapability[];
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private publishing = false;

  constructor(
    private readonly bus: MessageBus,
    private readonly topics: TopicRegistry,
    private readonly options: CapabilityAnnouncerOptions,
  ) {
    this.tools = toolCapabilities(options.tools);
    this.intervalMs = options.settings.announceIntervalMs ?? DEFAULT_ANNOUNCE_INTERVAL_MS;
    const bytes = Buffer.byteLength(JSON.stringify(this.announcement()));
    if (bytes > LIMITS.maxMessageBytes) {
      throw new Error(
        `the ${options.settings.workerType} worker's capability announcement is ${bytes} bytes, over the ${LIMITS.maxMessageBytes}-byte message limit: offer fewer tools or smaller DTOs`,
      );
    }
  }

  get ttlMs(): number {
    return this.intervalMs * ANNOUNCEMENT_TTL_INTERVALS;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.announce();
    this.timer = setInterval(() => void this.announce(), this.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  announcement(): CapabilitiesMessage {
    const { workerType, workerId, concurrency } = this.options.settings;
    return {
      ...newEnvelope('capabilities', { goalId: ANY_GOAL, correlationId: workerId }),
      workerType,
      workerId,
      concurrency: this.options.concurrency?.() ?? concurrency,
      ttlMs: this.ttlMs,
      tools: this.tools,
    };
  }

  /** Publishes one announcement; a failure is logged and the next interval tries again. */
  async announce(): Promise<void> {
    if (this.publishing) return;
    this.publishing = true;
    try {
      const message = this.announcement();
      await this.bus.publish([{ topic: this.topics.capabilities(), key: message.workerId, message }]);
    } catch (error) {
      this.logger.warn(`capability announcement failed, retrying in ${this.intervalMs} ms: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.publishing = false;
    }
  }
}
