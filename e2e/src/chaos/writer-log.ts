import { decode, RunRecordMessage, TopicRegistry } from '@agentos/contracts';
import { Admin, Kafka } from 'kafkajs';
import { RecordLog } from '../support/record-log';

/** A `claim` record on the runs topic: `writer` took `partition` over. */
export interface Claim {
  readonly partition: number;
  readonly offset: number;
  readonly writer: string;
  /** Its createdAt, epoch ms (every process runs on this machine: one clock). */
  readonly at: number;
  /** The writer of the claim before it (the partition's owner until then). */
  readonly previous: string | undefined;
  /** Goals running in the partition just before the claim, as every reader folds the topic. */
  readonly running: readonly string[];
}

/** A snapshot, progress or finished record on the runs topic. */
export interface JournalEntry {
  readonly partition: number;
  readonly offset: number;
  readonly writer: string;
  readonly goalId: string;
  readonly record: 'snapshot' | 'progress' | 'finished';
  readonly at: number;
  /** Written by an instance other than the partition's latest claimant: every reader ignores it. */
  readonly fenced: boolean;
  /**
   * Written by the partition's owner for a goal it has not snapshotted (restored or started)
   * since it took the partition over: state it kept from before it lost the partition.
   */
  readonly stale: boolean;
}

/** A task or goal event as it went out, with the Kafka producer that wrote it. */
export interface Written {
  readonly topic: 'tasks' | 'events';
  readonly goalId: string;
  readonly producerId: string;
  readonly at: number;
  /** `task`, or the event's type. */
  readonly what: string;
  readonly taskId: string | undefined;
  readonly attempt: number | undefined;
}

/** What an instance wrote about goals of partitions another instance had claimed from it. */
export interface ActedAfterLosing {
  /** Per lost partition: who claimed it (when) and when the instance claimed it back, if it did. */
  readonly partitions: ReadonlyArray<{ partition: number; claimedBy: string | undefined; claimedAt: number | undefined; reclaimedAt: number | undefined }>;
  /** Runs records between the other's claim and its own next one (fenced, all of them, unless it never noticed). */
  readonly records: readonly JournalEntry[];
  /** Tasks it dispatched and events it published for those partitions' goals in the same window. */
  readonly tasks: readonly Written[];
  readonly events: readonly Written[];
}

interface PartitionState {
  owner: string | undefined;
  readonly running: Set<string>;
  /** Since the owner last changed: the goals the owner wrote a snapshot of. */
  fresh: Set<string> | undefined;
  /** Next offset not yet read (a re-read after the reader's group rejoined is skipped). */
  next: number;
  readonly claims: Claim[];
  readonly entries: JournalEntry[];
}

/**
 * Who wrote what, read independently of the services: the runs topic folded the way every
 * supervisor instance folds it (the latest claim owns a partition; anyone else's records after
 * it are fenced), and every task and goal event with the producer id of its record batch. The
 * services' producers are idempotent, one per process: the runs records a producer wrote name
 * its instance (`writer`), so tasks and events can be told apart by instance too.
 */
export class WriterLog {
  private readonly partitions = new Map<number, PartitionState>();
  private readonly goalPartition = new Map<string, number>();
  private readonly writerOf = new Map<string, string>();
  readonly written: Written[] = [];
  private readonly log: RecordLog;
  private readonly runsTopic: string;
  private readonly taskTopics: Set<string>;

  constructor(
    kafka: Kafka,
    topics: TopicRegistry,
    workerTypes: readonly string[],
  ) {
    this.runsTopic = topics.runs();
    this.taskTopics = new Set(workerTypes.map((type) => topics.tasks(type)));
    this.log = new RecordLog(kafka, [this.runsTopic, ...this.taskTopics, topics.events()], ({ topic, partition, offset, producerId, value }) => {
      if (topic === this.runsTopic) this.applyRun(partition, offset, producerId, value);
      else this.applyWritten(this.taskTopics.has(topic) ? 'tasks' : 'events', producerId, value);
    });
  }

  async start(): Promise<this> {
    await this.log.start();
    return this;
  }

  /** Waits until every record the topics hold now has been read. */
  catchUp(admin: Admin, timeoutMs = 60_000): Promise<void> {
    return this.log.catchUp(admin, timeoutMs);
  }

  stop(): Promise<void> {
    return this.log.stop();
  }

  /** The partition a goal's runs records went to (undefined before its first). */
  partitionOf(goalId: string): number | undefined {
    return this.goalPartition.get(goalId);
  }

  ownerOf(partition: number | undefined): string | undefined {
    return partition === undefined ? undefined : this.partitions.get(partition)?.owner;
  }

  /** Partitions whose latest claim is `writer`'s. */
  ownedBy(writer: string): number[] {
    return [...this.partitions.entries()].filter(([, state]) => state.owner === writer).map(([partition]) => partition).sort((a, b) => a - b);
  }

  get claims(): Claim[] {
    return [...this.partitions.values()].flatMap((state) => state.claims);
  }

  get entries(): JournalEntry[] {
    return [...this.partitions.values()].flatMap((state) => state.entries);
  }

  /** The instance a producer id wrote runs records as (`producer <id>` when it wrote none). */
  nameOf(producerId: string): string {
    return this.writerOf.get(producerId) ?? `producer ${producerId}`;
  }

  /** Per instance: how many tasks and goal events it wrote at or after `since`, and when its last one was made (ms after `since`). */
  activitySince(since: number): Record<string, { tasks: number; events: number; lastMs: number }> {
    const activity: Record<string, { tasks: number; events: number; lastMs: number }> = {};
    for (const item of this.written) {
      if (item.at < since) continue;
      const entry = (activity[this.nameOf(item.producerId)] ??= { tasks: 0, events: 0, lastMs: 0 });
      if (item.topic === 'tasks') entry.tasks++;
      else entry.events++;
      entry.lastMs = Math.max(entry.lastMs, item.at - since);
    }
    return activity;
  }

  /** Kafka producer ids that wrote runs records as `writer`. */
  producersOf(writer: string): Set<string> {
    return new Set([...this.writerOf].filter(([, name]) => name === writer).map(([producerId]) => producerId));
  }

  /**
   * Whether `writer` took each of `partitions` over from another instance (a claim at or after
   * `since`) and restored every goal running there at its claim: wrote its snapshot, or its end.
   */
  tookOver(writer: string, partitions: readonly number[], since: number): { claimed: number; pendingGoals: number; done: boolean } {
    let claimed = 0;
    let pendingGoals = 0;
    for (const partition of partitions) {
      const state = this.partitions.get(partition);
      const claim = state?.claims.find((entry) => entry.writer === writer && entry.previous !== writer && entry.at >= since);
      if (!state || !claim) continue;
      claimed++;
      const handled = new Set(state.entries.filter((entry) => entry.offset > claim.offset && entry.writer === writer && entry.record !== 'progress').map((entry) => entry.goalId));
      pendingGoals += claim.running.filter((goalId) => !handled.has(goalId)).length;
    }
    return { claimed, pendingGoals, done: claimed === partitions.length && pendingGoals === 0 };
  }

  /**
   * What `writer` wrote about `partitions` after another instance claimed them (its first claim
   * at or after `since`) and before `writer` claimed them back: runs records by offset, tasks
   * and events (of those partitions' goals, by `writer`'s producers) by creation time.
   */
  actedAfterLosing(writer: string, partitions: readonly number[], since: number): ActedAfterLosing {
    const producers = this.producersOf(writer);
    const windows = partitions.map((partition) => {
      const state = this.partitions.get(partition);
      const lost = state?.claims.find((claim) => claim.writer !== writer && claim.at >= since);
      const back = lost && state!.claims.find((claim) => claim.writer === writer && claim.offset > lost.offset);
      return { partition, state, lost, back };
    });
    const records: JournalEntry[] = [];
    for (const { state, lost, back } of windows) {
      if (!state || !lost) continue;
      records.push(...state.entries.filter((entry) => entry.writer === writer && entry.offset > lost.offset && (back === undefined || entry.offset < back.offset)));
    }
    const inWindow = (item: Written): boolean => {
      if (!producers.has(item.producerId)) return false;
      const window = windows.find(({ partition }) => partition === this.goalPartition.get(item.goalId));
      return window?.lost !== undefined && item.at >= window.lost.at && (window.back === undefined || item.at < window.back.at);
    };
    const acted = this.written.filter(inWindow);
    return {
      partitions: windows.map(({ partition, lost, back }) => ({ partition, claimedBy: lost?.writer, claimedAt: lost?.at, reclaimedAt: back?.at })),
      records,
      tasks: acted.filter((item) => item.topic === 'tasks'),
      events: acted.filter((item) => item.topic === 'events'),
    };
  }

  /** Runs records counted by writer: all, fenced, stale. */
  tally(): { claims: number; records: number; fenced: Record<string, number>; stale: Record<string, number> } {
    const fenced: Record<string, number> = {};
    const stale: Record<string, number> = {};
    const entries = this.entries;
    for (const entry of entries) {
      if (entry.fenced) fenced[entry.writer] = (fenced[entry.writer] ?? 0) + 1;
      if (entry.stale) stale[entry.writer] = (stale[entry.writer] ?? 0) + 1;
    }
    return { claims: this.claims.length, records: entries.length, fenced, stale };
  }

  private state(partition: number): PartitionState {
    let state = this.partitions.get(partition);
    if (!state) {
      state = { owner: undefined, running: new Set(), fresh: undefined, next: 0, claims: [], entries: [] };
      this.partitions.set(partition, state);
    }
    return state;
  }

  /** Applies a runs record in partition order, as RunView does. */
  private applyRun(partition: number, offset: number, producerId: string, value: Buffer | null): void {
    const state = this.state(partition);
    if (offset < state.next) return;
    state.next = offset + 1;
    const decoded = decode(this.runsTopic, value);
    if (!decoded.ok || decoded.message.kind !== 'run') return;
    const record = decoded.message as RunRecordMessage;
    this.writerOf.set(producerId, record.writer);
    const at = Date.parse(record.createdAt);
    if (record.record === 'claim') {
      state.claims.push({ partition, offset, writer: record.writer, at, previous: state.owner, running: [...state.running] });
      if (state.owner !== record.writer) state.fresh = new Set();
      state.owner = record.writer;
      return;
    }
    this.goalPartition.set(record.goalId, partition);
    const fenced = state.owner !== undefined && state.owner !== record.writer;
    let stale = false;
    if (!fenced) {
      if (record.record === 'snapshot') {
        state.running.add(record.goalId);
        state.fresh?.add(record.goalId);
      } else {
        stale = state.fresh !== undefined && !state.fresh.has(record.goalId);
        if (record.record === 'finished') state.running.delete(record.goalId);
      }
    }
    state.entries.push({ partition, offset, writer: record.writer, goalId: record.goalId, record: record.record, at, fenced, stale });
  }

  private applyWritten(topic: 'tasks' | 'events', producerId: string, value: Buffer | null): void {
    if (!value) return;
    let message: { goalId?: unknown; createdAt?: unknown; type?: unknown; taskId?: unknown; attempt?: unknown };
    try {
      message = JSON.parse(value.toString('utf8')) as typeof message;
    } catch {
      return;
    }
    if (typeof message.goalId !== 'string') return;
    this.written.push({
      topic,
      goalId: message.goalId,
      producerId,
      at: Date.parse(String(message.createdAt)),
      what: topic === 'tasks' ? 'task' : String(message.type),
      taskId: typeof message.taskId === 'string' ? message.taskId : undefined,
      attempt: typeof message.attempt === 'number' ? message.attempt : undefined,
    });
  }
}
