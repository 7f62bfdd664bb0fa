import { MessageKind } from '../envelope/message-kind';
import { WORKER_TYPE_PATTERN } from '../limits';

export type TopicRole = 'goals' | 'tasks' | 'results' | 'control' | 'events' | 'runs' | 'dlq' | 'capabilities';

/** Everything a transport needs to create and use one topic. */
export interface TopicSpec {
  readonly role: TopicRole;
  readonly name: string;
  readonly partitions: number;
  /** `compact,delete`: the latest record per key is kept, but nothing older than `retentionMs`. */
  readonly cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
  /** Undefined for compacted topics that keep the latest record per key forever. */
  readonly retentionMs?: number;
  /**
   * Compacted topics: how long every record stays, superseded or not. The runs topic relies on
   * it: a run is restored from its latest snapshot plus the progress records after it, and the
   * supervisor writes a fresh snapshot of every running goal well within this time.
   */
  readonly minCompactionLagMs?: number;
  /** The record key producers must use. */
  readonly keyedBy: 'goalId' | 'taskId' | 'target' | 'originalKey' | 'workerId';
  /** Message kinds that may appear on the topic; empty where records are not AgentMessages. */
  readonly kinds: readonly MessageKind[];
  /** `group`: each record to one member of a consumer group; `broadcast`: to every instance. */
  readonly delivery: 'group' | 'broadcast';
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Runs records younger than this are never compacted away; checkpoints must come more often. */
export const RUNS_MIN_COMPACTION_LAG_MS = 6 * HOUR;

/**
 * goals, results, events and runs share one partition count and are all keyed by goalId,
 * so the supervisor instance that owns a goal's partition sees all of that goal's traffic.
 */
export const DEFAULT_GOAL_PARTITIONS = 12;
export const DEFAULT_TASK_PARTITIONS = 12;

type RoleDefaults = Omit<TopicSpec, 'name' | 'partitions' | 'role'>;

const ROLE_DEFAULTS: Readonly<Record<TopicRole, RoleDefaults>> = {
  goals: { cleanupPolicy: 'delete', retentionMs: 7 * DAY, keyedBy: 'goalId', kinds: ['goal'], delivery: 'group' },
  tasks: { cleanupPolicy: 'delete', retentionMs: DAY, keyedBy: 'taskId', kinds: ['task'], delivery: 'group' },
  results: { cleanupPolicy: 'delete', retentionMs: 7 * DAY, keyedBy: 'goalId', kinds: ['result'], delivery: 'group' },
  control: { cleanupPolicy: 'delete', retentionMs: HOUR, keyedBy: 'target', kinds: ['control'], delivery: 'broadcast' },
  events: { cleanupPolicy: 'delete', retentionMs: 3 * DAY, keyedBy: 'goalId', kinds: ['event'], delivery: 'group' },
  // Every supervisor instance reads all of it (restores a partition it takes over); see minCompactionLagMs.
  // A finished goal's record outlives the goals topic's retention by a day (no redelivery can
  // come later), then goes: the topic does not grow with every goal ever run.
  runs: {
    cleanupPolicy: 'compact,delete',
    retentionMs: 8 * DAY,
    minCompactionLagMs: RUNS_MIN_COMPACTION_LAG_MS,
    keyedBy: 'goalId',
    kinds: ['run'],
    delivery: 'broadcast',
  },
  dlq: { cleanupPolicy: 'delete', retentionMs: 30 * DAY, keyedBy: 'originalKey', kinds: [], delivery: 'group' },
  // Compacted: a reader from the start finds each worker instance's latest announcement.
  capabilities: { cleanupPolicy: 'compact', keyedBy: 'workerId', kinds: ['capabilities'], delivery: 'broadcast' },
};

const FIXED_ROLES = ['goals', 'results', 'control', 'events', 'runs', 'dlq', 'capabilities'] as const;
const FIXED_TOPIC = /^(?:(.+)\.)?agentos\.(goals|results|control|events|runs|dlq|capabilities)\.v1$/;
const TASK_TOPIC = /^(?:(.+)\.)?agentos\.tasks\.([a-z][a-z0-9-]{0,62})\.v1$/;

export interface TopicRegistryOptions {
  /** Prefix for every topic name (isolates test runs and tenants); none by default. */
  readonly namespace?: string;
  /** Worker types whose task topics exist. */
  readonly workerTypes: readonly string[];
  readonly goalPartitions?: number;
  readonly taskPartitions?: number;
}

/** The one place topic names, partitioning and retention are decided. */
export class TopicRegistry {
  private readonly prefix: string;
  private readonly goalPartitions: number;
  private readonly taskPartitions: number;

  constructor(private readonly options: TopicRegistryOptions) {
    if (options.namespace !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(options.namespace)) {
      throw new Error(`invalid topic namespace "${options.namespace}"`);
    }
    for (const type of options.workerTypes) {
      if (!WORKER_TYPE_PATTERN.test(type)) throw new Error(`invalid worker type "${type}"`);
    }
    this.prefix = options.namespace ? `${options.namespace}.` : '';
    this.goalPartitions = options.goalPartitions ?? DEFAULT_GOAL_PARTITIONS;
    this.taskPartitions = options.taskPartitions ?? DEFAULT_TASK_PARTITIONS;
  }

  get namespace(): string | undefined {
    return this.options.namespace;
  }

  get workerTypes(): readonly string[] {
    return this.options.workerTypes;
  }

  goals(): string {
    return `${this.prefix}agentos.goals.v1`;
  }
  tasks(workerType: string): string {
    return `${this.prefix}agentos.tasks.${workerType}.v1`;
  }
  results(): string {
    return `${this.prefix}agentos.results.v1`;
  }
  control(): string {
    return `${this.prefix}agentos.control.v1`;
  }
  events(): string {
    return `${this.prefix}agentos.events.v1`;
  }
  /**
   * A consumer group name in this namespace (`agentos.<name>`, prefixed like the topics), so
   * deployments and test runs sharing a broker never share a group: a member of one would
   * otherwise take partitions, and rebalances, from the others.
   */
  group(name: string): string {
    return `${this.prefix}agentos.${name}`;
  }

  runs(): string {
    return `${this.prefix}agentos.runs.v1`;
  }
  dlq(): string {
    return `${this.prefix}agentos.dlq.v1`;
  }
  capabilities(): string {
    return `${this.prefix}agentos.capabilities.v1`;
  }

  /** Every topic the system needs, for creation at start-up. */
  specs(): TopicSpec[] {
    const fixed = FIXED_ROLES.map((role) => this.spec(role, `${this.prefix}agentos.${role}.v1`));
    const tasks = this.options.workerTypes.map((type) => this.spec('tasks', this.tasks(type)));
    return [...fixed, ...tasks];
  }

  /** The spec of a topic of this registry's namespace, whatever worker type it names. */
  resolve(topic: string): TopicSpec | undefined {
    const role = topicRole(topic);
    if (!role || !topic.startsWith(this.prefix)) return undefined;
    // A namespace has no dots, so `ns.other.agentos.goals.v1` belongs to namespace `ns.other`, not `ns`.
    const namespaceSegments = this.prefix === '' ? 0 : 1;
    if (topic.split('.').length !== role.baseSegments + namespaceSegments) return undefined;
    return this.spec(role.role, topic);
  }

  private spec(role: TopicRole, name: string): TopicSpec {
    const partitions =
      role === 'tasks' ? this.taskPartitions : role === 'control' || role === 'capabilities' ? 1 : role === 'dlq' ? 3 : this.goalPartitions;
    return { role, name, partitions, ...ROLE_DEFAULTS[role] };
  }
}

/** The role of a topic from its name alone (any namespace), or undefined. */
export function topicRole(topic: string): { role: TopicRole; baseSegments: number } | undefined {
  const fixed = FIXED_TOPIC.exec(topic);
  if (fixed) return { role: fixed[2] as TopicRole, baseSegments: 3 };
  if (TASK_TOPIC.test(topic)) return { role: 'tasks', baseSegments: 4 };
  return undefined;
}

/** The message kinds a topic may carry, from its name alone. */
export function kindsForTopic(topic: string): readonly MessageKind[] {
  const role = topicRole(topic);
  return role ? ROLE_DEFAULTS[role.role].kinds : [];
}
