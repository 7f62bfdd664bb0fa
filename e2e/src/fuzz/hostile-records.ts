import { createHash } from 'node:crypto';
import { BusMessage, decode, DecodeErrorCode, GoalMessage, JsonObject, MessageKind } from '@agentos/contracts';
import { mutateJson, seededRandom } from '@agentos/test-kit';

/** The topics the fuzz writes to, by the role a record plays there. */
export const HOSTILE_ROLES = ['goals', 'tasks.io', 'tasks.logic', 'results', 'control'] as const;
export type HostileRole = (typeof HOSTILE_ROLES)[number];
export type HostileTopics = Readonly<Record<HostileRole, string>>;

/**
 * Id prefixes of the goals the hostile stream may name. Valid goals live in their own prefix
 * (the caller's); forged goals that decode and will really run are `fg-`; goals nobody ever
 * submits are `ghost-`. A generated record that decodes but names anything else is discarded
 * and drawn again, so a forged-but-valid record can never touch a goal the test counts.
 */
export const FORGED_GOAL_PREFIX = 'fg-';
export const GHOST_GOAL_PREFIX = 'ghost-';

export type Verdict = { readonly ok: true; readonly kind: MessageKind } | { readonly ok: false; readonly code: DecodeErrorCode };

export interface HostileRecord {
  readonly role: HostileRole;
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  readonly headers?: Record<string, string>;
  /** How it was made: truncated, non_json, mutated, forged_result, ... */
  readonly family: string;
  /** What the contracts' own `decode(topic, value)` says of it, decided before sending. */
  readonly verdict: Verdict;
  /** For a goal record that decodes: the goal it starts (or, for a duplicate, names). */
  readonly goalId?: string;
}

/** A valid goal of the test, for forged results and duplicates that name it. */
export interface TargetGoal {
  readonly message: GoalMessage;
  readonly taskIds: readonly string[];
}

export interface HostileOptions {
  readonly seed: number;
  /** Records to generate, spread evenly over the five roles (the huge ones come on top). */
  readonly count: number;
  readonly topics: HostileTopics;
  /** Goals of the test, live while the stream flows: forged results name them (wrong attempts, unknown tasks). */
  readonly liveGoals: readonly TargetGoal[];
  /** Goals already submitted before the stream: sent again, verbatim or altered, as duplicates. */
  readonly submittedGoals: readonly TargetGoal[];
  /** Records just under and just over LIMITS.maxMessageBytes, per role. */
  readonly hugePerRole: number;
}

const AT = '2026-01-01T00:00:00.000Z';
const json = (value: unknown): string => JSON.stringify(value);
const MAX_BYTES = 1_000_000;

/** A version-4-shaped UUID drawn from a seeded PRNG (the envelope wants a UUID; the test wants the same bytes every run). */
export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (8 + Math.floor(random() * 4)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Deep nesting as text: building the object and stringifying it would be as deep a recursion. */
function nestedText(depth: number, array: boolean): string {
  return array ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/**
 * A deterministic stream of malformed and hostile records for every topic AgentOS consumes,
 * each classified with the contracts' own decoder. Same seed, same bytes (see `digest`).
 */
export function hostileRecords(options: HostileOptions): HostileRecord[] {
  const random = seededRandom(options.seed);
  const int = (below: number) => Math.floor(random() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  let seq = 0;
  const records: HostileRecord[] = [];

  const envelope = (kind: string, goalId: string) => ({ schemaVersion: 1, id: seededUuid(random), kind, goalId, correlationId: goalId, createdAt: AT });
  const goal = (goalId: string): JsonObject => ({
    ...envelope('goal', goalId),
    goal: 'a goal forged by the hostile-input fuzz',
    plan: {
      tasks: [
        { id: 'a', workerType: 'io', tool: 'noop', input: { echo: 1 } },
        { id: 'b', workerType: 'logic', tool: 'noop', input: { echo: { $ref: 'a.echo' } } },
      ],
      outputs: ['b'],
    },
    options: { priority: 5, maxConcurrency: 4 },
    submitter: 'fuzz',
  });
  const task = (workerType: 'io' | 'logic', goalId: string, n: number): JsonObject => ({
    ...envelope('task', goalId),
    taskId: `t${n % 7}`,
    attempt: 1,
    workerType,
    tool: workerType === 'logic' && n % 2 === 0 ? 'math.evaluate' : 'noop',
    input: workerType === 'logic' && n % 2 === 0 ? { expression: `${n} + 1` } : { echo: n },
    timeoutMs: 5_000,
    idempotencyKey: `${goalId}:t${n % 7}`,
  });
  const timings = { receivedAt: AT, startedAt: AT, finishedAt: AT, runMs: 1.5 };
  const succeeded = (goalId: string, taskId: string, attempt: number): JsonObject => ({
    ...envelope('result', goalId),
    taskId,
    attempt,
    workerType: 'logic',
    workerId: 'fuzz-forger',
    status: 'succeeded',
    output: { forged: true, value: 666 },
    timings,
  });
  const failed = (goalId: string, taskId: string, attempt: number): JsonObject => ({
    ...envelope('result', goalId),
    taskId,
    attempt,
    workerType: 'io',
    workerId: 'fuzz-forger',
    status: 'failed',
    error: { code: pick(['logic_error', 'invalid_input', 'transient', 'timeout', 'internal']), message: 'forged failure', retriable: false },
    timings,
  });
  const control = (goalId: string, signal: string): JsonObject => ({ ...envelope('control', goalId), signal, target: { goalId }, reason: 'forged by the fuzz' });
  const event = (goalId: string): JsonObject => ({ ...envelope('event', goalId), type: 'goal.succeeded', data: { outputs: { forged: true } } });
  const capabilities = (): JsonObject => ({ ...envelope('capabilities', '*'), workerType: 'io', workerId: 'fuzz', concurrency: 1, ttlMs: 1_000, tools: [] });

  /** A valid message of the kind `role` carries, about no goal anybody submits (the shape mutations start from). */
  const base = (role: HostileRole, n: number): JsonObject => {
    switch (role) {
      case 'goals':
        return goal(`${FORGED_GOAL_PREFIX}${n}`);
      case 'tasks.io':
        return task('io', `${GHOST_GOAL_PREFIX}${n}`, n);
      case 'tasks.logic':
        return task('logic', `${GHOST_GOAL_PREFIX}${n}`, n);
      case 'results':
        return n % 2 ? succeeded(`${GHOST_GOAL_PREFIX}${n}`, 't1', 1) : failed(`${GHOST_GOAL_PREFIX}${n}`, 't1', 1);
      case 'control':
        return control(`${GHOST_GOAL_PREFIX}${n}`, pick(['cancel', 'pause', 'resume']));
    }
  };
  /** A valid message of some other kind (wrong_topic), including kinds no consumer reads here. */
  const otherKind = (role: HostileRole, n: number): JsonObject => {
    const ghost = `${GHOST_GOAL_PREFIX}${n}`;
    const choices: Array<() => JsonObject> = [() => event(ghost), () => capabilities()];
    if (role !== 'goals') choices.push(() => goal(`${FORGED_GOAL_PREFIX}${n}`));
    if (role !== 'tasks.io' && role !== 'tasks.logic') choices.push(() => task('io', ghost, n));
    if (role !== 'results') choices.push(() => succeeded(ghost, 't1', 1));
    if (role !== 'control') choices.push(() => control(ghost, 'cancel'));
    return pick(choices)();
  };

  /** A record that decodes must stay away from every goal the test counts (see the prefixes above). */
  const safe = (message: BusMessage): boolean => {
    switch (message.kind) {
      case 'goal':
        return message.goalId.startsWith(FORGED_GOAL_PREFIX);
      case 'task':
      case 'result':
        return message.goalId.startsWith(GHOST_GOAL_PREFIX);
      case 'control': {
        const { target } = message;
        // Never a pool-wide signal (set_concurrency, drain) nor a cancel by task id alone.
        return (
          ['cancel', 'pause', 'resume'].includes(message.signal) &&
          target.workerType === undefined &&
          target.taskId === undefined &&
          (target.goalId ?? message.goalId).startsWith(GHOST_GOAL_PREFIX) &&
          message.goalId.startsWith(GHOST_GOAL_PREFIX)
        );
      }
      default:
        return false;
    }
  };

  const classify = (topic: string, value: Buffer): { verdict: Verdict; message?: BusMessage } => {
    const decoded = decode(topic, value);
    return decoded.ok ? { verdict: { ok: true, kind: decoded.message.kind }, message: decoded.message } : { verdict: { ok: false, code: decoded.error.code } };
  };

  /** Adds a record unless it decodes to something unsafe; says whether it was added. */
  const add = (role: HostileRole, family: string, value: Buffer | string, extra: { key?: string; trusted?: boolean } = {}): boolean => {
    const topic = options.topics[role];
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    const { verdict, message } = classify(topic, bytes);
    if (message && !extra.trusted && !safe(message)) return false;
    // Some records carry hostile headers, among them a forged DLQ code the dead-letter writer must overwrite.
    const roll = random();
    const headers: Record<string, string> | undefined =
      roll < 0.04
        ? { 'x-agentos-dlq-code': 'forged', traceparent: 'not-a-traceparent' }
        : roll < 0.06
          ? { traceparent: '00-zzzz-yyyy-01', 'x-weird-\u00e9': '\u{1F4A5}'.repeat(50) }
          : undefined;
    records.push({
      role,
      topic,
      key: extra.key ?? `h-${String(seq++).padStart(6, '0')}`,
      value: bytes,
      ...(headers ? { headers } : {}),
      family,
      verdict,
      ...(message?.kind === 'goal' ? { goalId: message.goalId } : {}),
    });
    return true;
  };
  /** Inserts a raw `"name": value` member right after the opening brace of a JSON object text. */
  const withMember = (text: string, name: string, value: string) => `{${json(name)}:${value},${text.slice(1)}`;

  const families: Array<[weight: number, name: string, make: (role: HostileRole, n: number) => boolean]> = [
    [40, 'mutated', (role, n) => add(role, 'mutated', json(mutateJson(base(role, n), random)))],
    [8, 'truncated', (role, n) => {
      const text = json(base(role, n));
      return add(role, 'truncated', text.slice(0, int(text.length)));
    }],
    [6, 'non_json', (role) => {
      const texts = ['hello', '<xml/>', 'NaN', 'undefined', "{'kind':'goal'}", '{"kind":"goal",}', '{"a":1}{"b":2}', '\u0000\u0001\u0002', '\uFEFF{"kind":"task"}'];
      const bytes = random() < 0.5 ? Buffer.from(pick(texts), 'utf8') : Buffer.from(Array.from({ length: 1 + int(512) }, () => int(256)));
      return add(role, 'non_json', bytes);
    }],
    [5, 'not_an_object', (role, n) => add(role, 'not_an_object', pick([json([base(role, n)]), '42', '-0.5e300', 'null', 'true', '"task"', '[]', json(Array(int(50)).fill(n))]))],
    [6, 'wrong_kind', (role, n) => add(role, 'wrong_kind', json(otherKind(role, n)))],
    [5, 'unknown_kind', (role, n) => {
      const message = { ...base(role, n), kind: pick(['job', 'GOAL', '', 'tasks', 'Result', 42, null, ['goal'], { kind: 'goal' }]) };
      if (random() < 0.2) delete (message as Record<string, unknown>).kind;
      return add(role, 'unknown_kind', json(message));
    }],
    [5, 'wrong_version', (role, n) => {
      const message = { ...base(role, n), schemaVersion: pick<unknown>([2, '1', 0, -1, 1.5, null, [1], { v: 1 }, 'v1']) };
      if (random() < 0.2) delete (message as Record<string, unknown>).schemaVersion;
      return add(role, 'wrong_version', json(message));
    }],
    [3, 'big_string', (role, n) => {
      const message = base(role, n);
      const fields = Object.keys(message).filter((name) => name !== 'kind' && name !== 'schemaVersion');
      (message as Record<string, unknown>)[pick(fields)] = pick(['x', '\u00e9', '\u{1F600}', '"\\']).repeat(20_001 + int(100_000));
      return add(role, 'big_string', json(message));
    }],
    [3, 'big_array', (role, n) => {
      const message = base(role, n) as Record<string, unknown>;
      const size = pick([1_001, 10_000, 50_000]);
      const array = random() < 0.5 ? Array(size).fill(n) : Array.from({ length: size }, (_, i) => ({ id: `a${i}` }));
      if (role === 'goals') (message.plan as Record<string, unknown>)[pick(['tasks', 'outputs'])] = array;
      else if (role === 'results') message[pick(['output', 'taskId'])] = array;
      else if (role === 'control') message[pick(['target', 'value'])] = array;
      else message[pick(['input', 'attempt'])] = random() < 0.5 ? { values: array } : array;
      return add(role, 'big_array', json(message));
    }],
    [2, 'deep_nesting', (role, n) => {
      const field = { goals: 'plan', 'tasks.io': 'input', 'tasks.logic': 'input', results: 'output', control: 'target' }[role];
      const message = base(role, n) as Record<string, unknown>;
      // As the field itself, or as an unknown extra field: depth is checked before any rule.
      const name = random() < 0.5 ? field : `${field}Deep`;
      delete message[name];
      return add(role, 'deep_nesting', withMember(json(message), name, nestedText(10_000, random() < 0.5)));
    }],
    [2, 'near_depth_limit', (role, n) => {
      const field = { goals: 'submitter', 'tasks.io': 'input', 'tasks.logic': 'input', results: 'output', control: 'reason' }[role];
      const depth = pick([63, 64, 65, 127, 128, 129, 130]);
      const message = base(role, n) as Record<string, unknown>;
      delete message[field];
      return add(role, 'near_depth_limit', withMember(json(message), field, nestedText(depth, random() < 0.5)));
    }],
    [5, 'proto_keys', (role, n) => {
      const name = pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']);
      const value = pick(['null', '{}', '{"kind":"goal","polluted":true}', '"x"', '[1]', '{"prototype":{"polluted":true}}']);
      let text = json(base(role, n));
      // At the top level, or inside the first nested object (a plan, an input, a target).
      if (random() < 0.5) text = withMember(text, name, value);
      else text = text.replace(/:\{/, `:{${json(name)}:${value},`);
      return add(role, 'proto_keys', text);
    }],
    [10, 'forged', (role, n) => forged(role, n)],
  ];
  const totalWeight = families.reduce((sum, [weight]) => sum + weight, 0);

  const forged = (role: HostileRole, n: number): boolean => {
    const ghost = `${GHOST_GOAL_PREFIX}${n}`;
    switch (role) {
      case 'goals': {
        const roll = random();
        if (roll < 0.3 && options.submittedGoals.length > 0) {
          // A goal already running or finished, sent again: verbatim, or with a different plan (a replay with intent).
          const target = pick(options.submittedGoals).message;
          const again = random() < 0.5 ? target : { ...target, id: seededUuid(random), plan: { tasks: [{ id: 'evil', workerType: 'io', tool: 'noop', input: { echo: 'evil' } }] } };
          return add(role, 'duplicate_goal', json(again), { key: target.goalId, trusted: true });
        }
        const forgedGoal = goal(`${FORGED_GOAL_PREFIX}${n}`) as Record<string, unknown>;
        if (roll < 0.45) delete forgedGoal.plan; // no planner configured: rejected
        else if (roll < 0.6) forgedGoal.plan = { tasks: [{ id: 'a', workerType: 'io', tool: 'fs.delete_everything', input: {} }] };
        else if (roll < 0.75)
          forgedGoal.plan = {
            tasks: [
              { id: 'a', workerType: 'logic', tool: 'noop', input: { echo: { $ref: 'b.echo' } } },
              { id: 'b', workerType: 'logic', tool: 'noop', input: { echo: { $ref: 'a.echo' } } },
            ],
          };
        else if (roll < 0.85) forgedGoal.plan = { tasks: [{ id: 'a', workerType: 'io', tool: 'noop', input: { echo: { $ref: 'nowhere.x' } } }] };
        return add(role, 'forged_goal', json(forgedGoal));
      }
      case 'tasks.io':
      case 'tasks.logic': {
        const workerType = role === 'tasks.io' ? 'io' : 'logic';
        const message = task(workerType, ghost, n) as Record<string, unknown>;
        const roll = random();
        if (roll < 0.2) message.tool = 'fs.delete_everything';
        else if (roll < 0.35) message.input = { unexpected: true };
        else if (roll < 0.45) message.attempt = 100;
        else if (roll < 0.55) message.workerType = workerType === 'io' ? 'logic' : 'io';
        else if (roll < 0.65 && workerType === 'logic') message.input = { expression: pick(['range(1, 1e9)', 'zeros(100000, 100000)', '1/0', 'x + 1']) };
        else if (roll < 0.65) message.input = { path: '../../etc/passwd' };
        return add(role, 'forged_task', json(message));
      }
      case 'results': {
        const live = options.liveGoals.length > 0 && random() < 0.6 ? pick(options.liveGoals) : undefined;
        if (!live) return add(role, 'forged_result_unknown_goal', json(random() < 0.5 ? succeeded(ghost, 't1', 1) : failed(ghost, 't1', 1)));
        const goalId = live.message.goalId;
        if (random() < 0.5) {
          // A task the live goal does not have: absorbed, whatever its status.
          const result = random() < 0.5 ? succeeded(goalId, `ghost-task-${n}`, 1) : failed(goalId, `ghost-task-${n}`, 1);
          return add(role, 'forged_result_unknown_task', json(result), { key: goalId, trusted: true });
        }
        // A failure for an attempt that was never dispatched (every valid task runs once): must not count.
        return add(role, 'forged_result_wrong_attempt', json(failed(goalId, pick(live.taskIds), 2 + int(99))), { key: goalId, trusted: true });
      }
      case 'control':
        return add(role, 'forged_control', json(control(ghost, pick(['cancel', 'pause', 'resume']))));
    }
  };

  const perRole = Math.ceil(options.count / HOSTILE_ROLES.length);
  for (let n = 0; n < perRole; n++) {
    for (const role of HOSTILE_ROLES) {
      // A draw whose record decodes but is unsafe is drawn again; the fallback always decodes to an error.
      let added = false;
      for (let attempt = 0; attempt < 8 && !added; attempt++) {
        let roll = random() * totalWeight;
        const family = families.find(([weight]) => (roll -= weight) < 0) ?? families[0]!;
        added = family[2](role, n);
      }
      if (!added) add(role, 'truncated', json(base(role, n)).slice(0, -1));
    }
  }

  // Just under (a message of exactly MAX_BYTES included) and just over the limit.
  for (const role of HOSTILE_ROLES) {
    for (let i = 0; i < options.hugePerRole; i++) {
      const message = base(role, 1_000_000 + i) as Record<string, unknown>;
      const field = { goals: 'goal', 'tasks.io': 'input', 'tasks.logic': 'input', results: 'output', control: 'reason' }[role];
      const size = i % 2 === 0 ? MAX_BYTES - (i === 0 ? 0 : int(10_000)) : MAX_BYTES + 1 + int(40_000);
      const wrap = (pad: string) => (field === 'input' || field === 'output' ? { echo: pad } : pad);
      message[field] = wrap('');
      const padding = size - Buffer.byteLength(json(message));
      message[field] = wrap('z'.repeat(padding));
      add(role, size > MAX_BYTES ? 'huge_over_limit' : 'huge_under_limit', json(message));
    }
  }
  // Huge records among the rest, not all at the end.
  for (let i = records.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [records[i], records[j]] = [records[j]!, records[i]!];
  }
  return records;
}

/** A digest of every record's topic, key, bytes and headers: equal across runs of the same seed. */
export function digest(records: readonly HostileRecord[], stripNamespace: (topic: string) => string): string {
  const hash = createHash('sha256');
  for (const record of records) {
    hash.update(`${stripNamespace(record.topic)}\u0000${record.key}\u0000${json(record.headers ?? {})}\u0000`);
    hash.update(record.value);
  }
  return hash.digest('hex').slice(0, 16);
}

