import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, DECODE_ERROR_CODES, GoalEventMessage, GoalMessage, JsonObject, TERMINAL_GOAL_EVENTS, TopicRegistry } from '@agentos/contracts';
import { seededRandom, ServiceProcess, uniqueName, waitFor } from '@agentos/test-kit';
import { Consumer, Kafka, Message, Producer } from 'kafkajs';
import { startServices } from '../support/services';
import { freshNamespace, plainKafka, serviceEnv } from '../support/kafka-env';
import { digest, FORGED_GOAL_PREFIX, HOSTILE_ROLES, HostileRecord, HostileRole, hostileRecords, seededUuid, TargetGoal } from './hostile-records';

/** Change it to explore; a failure reproduces from the seed printed in the summary. */
const SEED = Number(process.env.FUZZ_SEED ?? 0x4a9e_0007);
const HOSTILE_COUNT = 10_000;
/** Per role, records just under and just over the 1,000,000-byte limit (half each). */
const HUGE_PER_ROLE = 6;
const VALID_GOALS = 20;
/** Goals submitted before the hostile stream, during it (between chunks), and after it. */
const BEFORE = 5;
const AFTER = 5;
const CHUNK_RECORDS = 500;
/** A produce request's records per partition must stay under the broker's ~1 MiB record-batch limit. */
const CHUNK_BYTES = 600_000;
/** Records this big go in a produce request of their own. */
const ALONE_BYTES = 200_000;
/** Every valid consumer of the control topic reads it in a group of its own: the supervisor and both workers. */
const CONTROL_CONSUMERS = 3;
const AT = '2026-01-01T00:00:00.000Z';
const MB = 1024 * 1024;

interface ValidGoal extends TargetGoal {
  readonly expected: JsonObject;
}

/**
 * A goal of 3-5 tasks over both worker types whose outputs are known in advance. One io task
 * waits a little, so the goal is still running while the hostile stream names it.
 */
function validGoal(goalId: string, random: () => number): ValidGoal {
  const a = 1 + Math.floor(random() * 1_000);
  const b = 1 + Math.floor(random() * 1_000);
  const extras = Math.floor(random() * 3);
  const tags = Array.from({ length: extras }, (_, k) => ({ id: `tag${k}`, workerType: k % 2 ? 'io' : 'logic', tool: 'noop', input: { echo: `${goalId}/${k}` } }));
  const message: GoalMessage = {
    schemaVersion: 1,
    id: seededUuid(random),
    kind: 'goal',
    goalId,
    correlationId: goalId,
    createdAt: AT,
    goal: `add ${a} and ${b}, relay it, double it`,
    plan: {
      tasks: [
        { id: 'sum', workerType: 'logic', tool: 'math.evaluate', input: { expression: `${a} + ${b}` } },
        { id: 'relay', workerType: 'io', tool: 'noop', input: { echo: { $ref: 'sum.value' }, delayMs: 100 + Math.floor(random() * 600) } },
        { id: 'twice', workerType: 'logic', tool: 'math.evaluate', input: { expression: 'n * 2', scope: { n: { $ref: 'relay.echo' } } } },
        ...tags,
      ],
      outputs: ['twice', ...tags.map((tag) => tag.id)],
    },
    submitter: 'hostile-fuzz',
  };
  const expected: JsonObject = { twice: { value: 2 * (a + b), type: 'number' } };
  for (const tag of tags) expected[tag.id] = { echo: tag.input.echo };
  return { message, taskIds: message.plan!.tasks.map((task) => task.id), expected };
}

/** Goal events indexed by goal, each record decoded once (the stream carries thousands). */
class EventIndex {
  readonly byGoal = new Map<string, GoalEventMessage[]>();
  undecodable = 0;
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({ groupId: uniqueName('fuzz-events'), maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decode(this.topic, message.value);
        if (!decoded.ok || decoded.message.kind !== 'event') {
          this.undecodable++;
          return;
        }
        const list = this.byGoal.get(decoded.message.goalId) ?? [];
        list.push(decoded.message);
        this.byGoal.set(decoded.message.goalId, list);
      },
    });
    return this;
  }

  terminal(goalId: string): GoalEventMessage | undefined {
    return this.byGoal.get(goalId)?.find((event) => TERMINAL_GOAL_EVENTS.includes(event.type));
  }

  count(goalId: string, type: string): number {
    return (this.byGoal.get(goalId) ?? []).filter((event) => event.type === type).length;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** The DLQ tallied by key, keeping headers only (its values add up to tens of MB). */
class DeadLetterTally {
  readonly byKey = new Map<string, { count: number; codes: Set<string>; sourceTopics: Set<string> }>();
  readonly byCode = new Map<string, number>();
  total = 0;
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({ groupId: uniqueName('fuzz-dlq'), maxWaitTimeInMs: 100, maxBytesPerPartition: 2 * MB });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? '<no key>';
        const code = message.headers?.['x-agentos-dlq-code']?.toString() ?? '<no code>';
        const sourceTopic = message.headers?.['x-agentos-dlq-source-topic']?.toString() ?? '<no source>';
        const entry = this.byKey.get(key) ?? { count: 0, codes: new Set<string>(), sourceTopics: new Set<string>() };
        entry.count++;
        entry.codes.add(code);
        entry.sourceTopics.add(sourceTopic);
        this.byKey.set(key, entry);
        this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);
        this.total++;
      },
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** Resident set size of a process, in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Math.round(Number(match[1]) / 1024);
}

/** Alive: its /proc entry exists and it is not a zombie. */
function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Splits the stream into produce requests: at most CHUNK_RECORDS and CHUNK_BYTES each, big records alone. */
function chunk(records: readonly HostileRecord[]): HostileRecord[][] {
  const chunks: HostileRecord[][] = [];
  let current: HostileRecord[] = [];
  let bytes = 0;
  const close = () => {
    if (current.length > 0) chunks.push(current);
    current = [];
    bytes = 0;
  };
  for (const record of records) {
    if (record.value.length >= ALONE_BYTES) {
      close();
      chunks.push([record]);
      continue;
    }
    if (current.length === CHUNK_RECORDS || bytes + record.value.length > CHUNK_BYTES) close();
    current.push(record);
    bytes += record.value.length;
  }
  close();
  return chunks;
}

describe('hostile input on a real Kafka broker, services as processes', () => {
  let topics: TopicRegistry;
  let kafka: Kafka;
  let producer: Producer;
  let events: EventIndex;
  let dlq: DeadLetterTally;
  const services: ServiceProcess[] = [];
  let fsRoot: string;

  beforeAll(async () => {
    const fresh = freshNamespace();
    topics = fresh.topics;
    const env = serviceEnv(fresh.namespace);
    // An empty folder: no hostile task may reach a real file.
    fsRoot = mkdtempSync(join(tmpdir(), 'agentos-fuzz-io-'));
    await startServices({ supervisor: { ...env, SUPERVISOR_TASK_TIMEOUT_MS: '20000' }, io: { ...env, IO_FS_ROOT: fsRoot }, logic: env }, services);

    kafka = plainKafka();
    producer = kafka.producer();
    await producer.connect();
    events = await new EventIndex(kafka, topics.events()).start();
    dlq = await new DeadLetterTally(kafka, topics.dlq()).start();
  }, 180_000);

  afterAll(async () => {
    await events?.stop();
    await dlq?.stop();
    await producer?.disconnect();
    await Promise.all(services.map((service) => service.stop()));
    if (fsRoot) rmSync(fsRoot, { recursive: true, force: true });
  }, 60_000);

  it(`survives ${HOSTILE_COUNT}+ malformed, hostile and forged records on every topic, interleaved with ${VALID_GOALS} valid goals that all complete`, async () => {
    const started = Date.now();
    const random = seededRandom(SEED);
    const goals = Array.from({ length: VALID_GOALS }, (_, i) => validGoal(`valid-${String(i).padStart(2, '0')}`, random));
    const submit = (goal: GoalMessage) => producer.send({ topic: topics.goals(), messages: [{ key: goal.goalId, value: JSON.stringify(goal) }] });
    const succeeded = (goal: ValidGoal) => {
      const terminal = events.terminal(goal.message.goalId);
      return terminal !== undefined && terminal;
    };

    // Before: a first wave of goals, waited for, so the services are warm when RSS is first read.
    for (const goal of goals.slice(0, BEFORE)) await submit(goal.message);
    await waitFor(() => goals.slice(0, BEFORE).every(succeeded), { timeoutMs: 60_000, intervalMs: 100, description: 'the goals sent before the stream' });
    const rssBefore = services.map((service) => rssMb(service.pid!));

    const roleTopics: Record<HostileRole, string> = {
      goals: topics.goals(),
      'tasks.io': topics.tasks('io'),
      'tasks.logic': topics.tasks('logic'),
      results: topics.results(),
      control: topics.control(),
    };
    const records = hostileRecords({
      seed: SEED,
      count: HOSTILE_COUNT,
      topics: roleTopics,
      liveGoals: goals,
      submittedGoals: goals.slice(0, BEFORE),
      hugePerRole: HUGE_PER_ROLE,
    });
    const generationDigest = digest(records, (topic) => topic.slice(topics.namespace!.length + 1));

    // During: the stream in produce requests, with the middle wave of goals between them.
    const chunks = chunk(records);
    const during = goals.slice(BEFORE, VALID_GOALS - AFTER);
    const goalAfterChunk = new Map(during.map((goal, j) => [Math.floor(((j + 1) * chunks.length) / (during.length + 1)), goal]));
    const toMessage = (record: HostileRecord): Message => ({ key: record.key, value: record.value, ...(record.headers ? { headers: record.headers } : {}) });
    for (const [index, requestRecords] of chunks.entries()) {
      const byTopic = new Map<string, Message[]>();
      for (const record of requestRecords) byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), toMessage(record)]);
      await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      const goal = goalAfterChunk.get(index);
      if (goal) await submit(goal.message);
    }
    const streamSentMs = Date.now() - started;
    // After: the last wave.
    for (const goal of goals.slice(VALID_GOALS - AFTER)) await submit(goal.message);

    // Every valid goal succeeds with exactly the outputs its plan computes, once.
    await waitFor(() => goals.every(succeeded), { timeoutMs: 150_000, intervalMs: 250, description: 'every valid goal to finish' });
    for (const goal of goals) {
      const id = goal.message.goalId;
      expect({ id, type: events.terminal(id)!.type, outputs: events.terminal(id)!.data?.outputs }).toEqual({ id, type: 'goal.succeeded', outputs: goal.expected });
      expect({ id, accepted: events.count(id, 'goal.accepted') }).toEqual({ id, accepted: 1 });
      expect({ id, failedTasks: events.count(id, 'task.failed') }).toEqual({ id, failedTasks: 0 });
    }

    // Every record that cannot decode is in the DLQ under its own key, with decode's code, from
    // its own topic: once per consumer group reading that topic.
    const undecodable = records.filter((record) => !record.verdict.ok);
    const copies = (record: HostileRecord) => (record.role === 'control' ? CONTROL_CONSUMERS : 1);
    const expectedDlq = undecodable.reduce((sum, record) => sum + copies(record), 0);
    await waitFor(() => undecodable.every((record) => (dlq.byKey.get(record.key)?.count ?? 0) >= copies(record)), {
      timeoutMs: 120_000,
      intervalMs: 250,
      description: `every undecodable record in the DLQ (${expectedDlq} dead letters expected, ${dlq.total} so far)`,
    });
    const mismatched = undecodable
      .map((record) => ({ key: record.key, family: record.family, expected: [record.verdict.ok ? 'ok' : record.verdict.code, record.topic], entry: dlq.byKey.get(record.key)! }))
      .filter(({ expected, entry }) => entry.codes.size !== 1 || !entry.codes.has(expected[0]!) || entry.sourceTopics.size !== 1 || !entry.sourceTopics.has(expected[1]!))
      .map(({ key, family, expected, entry }) => ({ key, family, expected, got: [[...entry.codes], [...entry.sourceTopics]] }));
    expect(mismatched).toEqual([]);

    // A liveness round after everything: all three services still answer.
    const final = validGoal('valid-final', seededRandom(SEED + 1));
    await submit(final.message);
    const finalTerminal = await waitFor(() => events.terminal(final.message.goalId), { timeoutMs: 60_000, intervalMs: 100, description: 'the final goal' });
    expect(finalTerminal.type).toBe('goal.succeeded');
    expect(finalTerminal.data!.outputs).toEqual(final.expected);

    // Nothing that decodes was dead-lettered, and nothing else was either (no handler failures).
    const undecodableKeys = new Set(undecodable.map((record) => record.key));
    expect([...dlq.byKey.keys()].filter((key) => !undecodableKeys.has(key))).toEqual([]);
    expect([...dlq.byCode.keys()].filter((code) => !(DECODE_ERROR_CODES as readonly string[]).includes(code))).toEqual([]);

    // Forged goals that decode are real goals: each is accepted once and ends (run or rejected).
    // Every other forged message names ghost goals, which must leave no trace in the events.
    const forgedGoalIds = new Set(records.filter((record) => record.verdict.ok && record.goalId?.startsWith(FORGED_GOAL_PREFIX)).map((record) => record.goalId!));
    await waitFor(() => [...forgedGoalIds].every((id) => events.terminal(id)), { timeoutMs: 60_000, intervalMs: 250, description: 'every forged goal that decodes to end' });
    const knownGoals = new Set([...goals.map((goal) => goal.message.goalId), final.message.goalId, ...forgedGoalIds]);
    expect([...events.byGoal.keys()].filter((id) => !knownGoals.has(id))).toEqual([]);
    expect([...forgedGoalIds].filter((id) => events.count(id, 'goal.accepted') !== 1)).toEqual([]);
    const forgedOutcomes = new Map<string, number>();
    for (const id of forgedGoalIds) forgedOutcomes.set(events.terminal(id)!.type, (forgedOutcomes.get(events.terminal(id)!.type) ?? 0) + 1);

    // Memory stays bounded. The services keep nothing per rejected record, so after the stream
    // each holds what a warm service holds plus what its consumers may have in flight: kafkajs
    // fetches up to ~10 MB per fetch, a decoded batch takes a few times its bytes, and V8 grows
    // its heap ahead of the garbage collector (old space can double before a major GC). Hence
    // 2x the warm RSS plus 150 MB. Each service reads 60+ MB of the stream (printed), and parsed
    // JSON takes several times its bytes, so a service that kept what it rejected would exceed it.
    const rssAfter = services.map((service) => rssMb(service.pid!));
    const alive = services.map((service) => isAlive(service.pid!));
    expect(alive).toEqual([true, true, true]);
    for (const [i, service] of services.entries()) {
      expect({ service: service.name, withinBound: rssAfter[i]! < 2 * rssBefore[i]! + 150 }).toEqual({ service: service.name, withinBound: true });
    }

    const perRole = (filter: (record: HostileRecord) => boolean) =>
      HOSTILE_ROLES.map((role) => `${role}=${records.filter((record) => record.role === role && filter(record)).length}`).join(' ');
    const megabytes = (filter: (record: HostileRecord) => boolean) => Math.round(records.filter(filter).reduce((sum, record) => sum + record.value.length, 0) / MB);
    const readBy: Record<string, readonly HostileRole[]> = { supervisor: ['goals', 'results', 'control'], 'worker-io': ['tasks.io', 'control'], 'worker-logic': ['tasks.logic', 'control'] };
    const summary = [
      `hostile-input fuzz seed=0x${SEED.toString(16)} digest=${generationDigest}`,
      `sent ${records.length} records (${megabytes(() => true)} MB, ${chunks.length} produce requests): ${perRole(() => true)}`,
      `undecodable ${undecodable.length}: ${perRole((record) => !record.verdict.ok)}`,
      `forged-but-valid ${records.length - undecodable.length}: ${perRole((record) => record.verdict.ok)}`,
      `forged goals ended ${[...forgedOutcomes].map(([type, n]) => `${type}=${n}`).join(' ')}`,
      `DLQ ${dlq.total} records (expected ${expectedDlq}): ${[...dlq.byCode].sort().map(([code, n]) => `${code}=${n}`).join(' ')}`,
      `valid goals succeeded ${goals.filter((goal) => events.terminal(goal.message.goalId)?.type === 'goal.succeeded').length}/${VALID_GOALS} + final`,
      `RSS MB before->after (MB of the stream read) ${services.map((service, i) => `${service.name} ${rssBefore[i]}->${rssAfter[i]} (${megabytes((record) => readBy[service.name]!.includes(record.role))})`).join(', ')}`,
      `stream sent in ${(streamSentMs / 1000).toFixed(1)} s, all checks done in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    ].join(' | ');
    console.log(summary);
  }, 300_000);

  it('shuts every service down cleanly on SIGTERM after the hostile stream', async () => {
    const codes = await Promise.all(services.map((service) => service.stop()));
    expect(codes).toEqual([0, 0, 0]);
  });
});
