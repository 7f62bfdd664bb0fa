import { Registry } from 'prom-client';
import { ConsumerLag } from '../../bus/bus-health';
import { DeadLetter, MessageBus } from '../../bus/message-bus';
import { collectedCounter, collectedGauge, EmitSeries } from './collected-metrics';
import { withTimeout } from '../health/with-timeout';
import { SeriesCells } from './series-cells';

/** What the bus metrics read from a MessageBus. */
export interface ObservedBus {
  onDeadLetter: MessageBus['onDeadLetter'];
  consumerLag(): Promise<readonly ConsumerLag[]>;
}

/** How long a scrape waits for a bus's consumer lag before it reports without it. */
export const DEFAULT_LAG_TIMEOUT_MS = 2_000;

class Total {
  value = 0;
}

interface Observation {
  users: number;
  readonly stopListening: () => void;
  /** A lag read still under way: a scrape arriving meanwhile waits for it instead of starting another. */
  pendingLag?: Promise<readonly ConsumerLag[]>;
}

/**
 * Metrics of the process's buses: dead-lettered records by topic and code (counted as they
 * happen, through `onDeadLetter`), and consumer lag per group, topic and partition (read from
 * `consumerLag()` on each scrape, with a timeout: a slow or failing read leaves the lag out of
 * that scrape and counts a failure, it never fails the scrape).
 */
export class BusMetrics {
  private readonly deadLetters = new SeriesCells(() => new Total(), 128);
  private readonly buses = new Map<ObservedBus, Observation>();
  private lagReadFailures = 0;
  /** The lag collection of the scrape under way: its failures are counted in that same scrape. */
  private lagCollection: Promise<void> | undefined;

  constructor(
    registry: Registry,
    private readonly lagTimeoutMs = DEFAULT_LAG_TIMEOUT_MS,
  ) {
    collectedCounter({
      registry,
      name: 'agentos_dead_letters_total',
      help: 'Records dead-lettered (undecodable, or failing every delivery), by source topic and reason code.',
      labelNames: ['topic', 'code'],
      collect: (emit) => this.deadLetters.forEach((total, topic, code) => emit({ topic, code }, total.value)),
    });
    collectedGauge({
      registry,
      name: 'agentos_consumer_lag_records',
      help: "Records between a consumer group's committed offset and the partition's end, by group, topic and partition.",
      labelNames: ['group', 'topic', 'partition'],
      collect: (emit) => {
        this.lagCollection = this.collectLag(emit);
        return this.lagCollection;
      },
    });
    collectedCounter({
      registry,
      name: 'agentos_consumer_lag_read_failures_total',
      help: 'Scrapes that went without a bus\'s consumer lag because reading it failed or took too long.',
      labelNames: [],
      collect: async (emit) => {
        await this.lagCollection;
        emit({}, this.lagReadFailures);
      },
    });
  }

  /**
   * Counts the bus's dead letters and reports its lag until the returned function is called.
   * Observing a bus several times (services sharing it) counts each dead letter once.
   */
  observe(bus: ObservedBus): () => void {
    let observation = this.buses.get(bus);
    if (!observation) {
      const stopListening = bus.onDeadLetter((deadLetter: DeadLetter) => this.deadLetters.get(deadLetter.topic, deadLetter.code).value++);
      observation = { users: 0, stopListening };
      this.buses.set(bus, observation);
    }
    observation.users++;
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--observation.users > 0) return;
      observation.stopListening();
      this.buses.delete(bus);
    };
  }

  private async collectLag(emit: EmitSeries): Promise<void> {
    const lags = new Map<string, { group: string; topic: string; partition: string; lag: number }>();
    const reads = [...this.buses.entries()].map(async ([bus, observation]) => {
      try {
        for (const { groupId, topic, partition, lag } of await this.readLag(bus, observation)) {
          const key = `${groupId}\u0000${topic}\u0000${partition}`;
          // Buses of one process in one group see the same committed offsets: one series, not a sum.
          const known = lags.get(key);
          if (!known || lag > known.lag) lags.set(key, { group: groupId, topic, partition: String(partition), lag });
        }
      } catch {
        this.lagReadFailures++;
      }
    });
    await Promise.all(reads);
    for (const { lag, ...labels } of lags.values()) emit(labels, lag);
  }

  private readLag(bus: ObservedBus, observation: Observation): Promise<readonly ConsumerLag[]> {
    observation.pendingLag ??= bus.consumerLag().finally(() => {
      observation.pendingLag = undefined;
    });
    return withTimeout(observation.pendingLag, this.lagTimeoutMs, 'consumer lag');
  }
}
