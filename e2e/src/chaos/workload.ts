import { createHash } from 'node:crypto';
import { GoalMessage, JsonObject, JsonValue, TaskErrorCode, TaskGraph } from '@agentos/contracts';
import { sampleGoal, seededRandom } from '@agentos/test-kit';

/** The retriable faults injected on first attempts; the supervisor retries them and the goal still succeeds. */
export const RETRIED_FAULTS = ['timeout', 'transient', 'rate_limited'] as const;
export type RetriedFault = (typeof RETRIED_FAULTS)[number];

/** Tasks of every goal, in plan order: 13, over both worker types. */
export const TASK_IDS = ['mul', 'add', 'hold-a', 'hold-b', 'hold-c', 'sum', 'stats', 'label', 'hold-d', 'post', 'render', 'write', 'seal'] as const;
export type ChaosTaskId = (typeof TASK_IDS)[number];

/** The tasks that run `fault.inject`: they take 20-300 ms (so kills land mid-task) and carry the injected faults. */
type HoldTask = 'hold-a' | 'hold-b' | 'hold-c' | 'hold-d' | 'seal';

/** Each kind of retried fault lands on this share of a goal's hold tasks: 13% of 5 of 13 tasks, about 5% of all tasks. */
const FAULT_SHARE_PER_KIND = 0.13;

/** One goal in this many is built to fail (a logic_error, which needs a planner the chaos supervisors do not have). */
const FAIL_EVERY = 50;

const WORDS = ['amber', 'basalt', 'cobalt', 'dune', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'juniper', 'krill', 'lagoon'];

export interface ChaosGoal {
  readonly message: GoalMessage;
  readonly goalId: string;
  /** Fails for good at `hold-b` (logic_error, no planner): its expected terminal state is goal.failed. */
  readonly designedToFail: boolean;
  /** Retried faults injected on first attempts, by kind. */
  readonly faults: Readonly<Record<RetriedFault, number>>;
  /** What the plan computes, worked out here from the plan's literals alone. */
  readonly expected: {
    readonly sum: number;
    readonly stats: { readonly total: number; readonly max: number; readonly count: number };
    readonly label: string;
    /** The JSON the `post` task sends to the effects API. */
    readonly post: JsonObject;
    /** Where `write` puts the file, relative to the io worker's sandbox root. */
    readonly file: string;
  };
}

/** The file `write` produces, once the effects API answered `post` with `receipt`. */
export function expectedFileContent(goal: ChaosGoal, receipt: string): string {
  return `${goal.expected.label}\nreceipt ${receipt}\ntotal ${goal.expected.stats.total}\n`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface WorkloadOptions {
  readonly seed: number;
  readonly goals: number;
  /** Goal ids are `<prefix>-g<n>`: unique per scenario. */
  readonly goalIdPrefix: string;
  /** Where `post` sends its effect (the test's idempotent HTTP API). */
  readonly effectsUrl: string;
}

/**
 * The chaos load: deterministic per seed, every goal's expected outputs computed here from the
 * plan's own literals. Each goal is a fan-out/fan-in DAG of 13 tasks:
 *
 *   mul ─ hold-a(io) ─┐             ┌ sum ──┐
 *   add ─ hold-b ─────┼─────────────┤       ├ label ─ hold-d ─ post(io, http) ─ render ─ write(io, fs) ─ seal(io)
 *         hold-c(io) ─┘             └ stats ┘
 *
 * `hold-*` and `seal` are `fault.inject` relays that take 20-300 ms and carry the injected
 * faults (about 5% of all tasks per kind, on first attempts only); `post` applies an effect
 * at the test's HTTP API (which answers after a delay of its own); `write` creates a per-goal
 * file from upstream outputs.
 */
export function chaosWorkload(options: WorkloadOptions): ChaosGoal[] {
  const random = seededRandom(options.seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  return Array.from({ length: options.goals }, (_, index) => {
    const goalId = `${options.goalIdPrefix}-g${String(index).padStart(3, '0')}`;
    const designedToFail = index % FAIL_EVERY === FAIL_EVERY / 2;
    const [x, y, z, c] = [int(2, 999), int(2, 999), int(1, 9_999), int(1, 99)];
    const word = WORDS[int(0, WORDS.length - 1)]!;
    const faults: Record<RetriedFault, number> = { timeout: 0, transient: 0, rate_limited: 0 };

    const hold = (id: HoldTask, output: JsonValue): JsonObject => {
      const input: JsonObject = { delayMs: int(20, 300), output };
      const draw = random();
      const kind = RETRIED_FAULTS[Math.floor(draw / FAULT_SHARE_PER_KIND)];
      if (designedToFail && id === 'hold-b') {
        input.fail = { code: 'logic_error' satisfies TaskErrorCode, message: 'designed to fail: no planner can fix it' };
      } else if (kind !== undefined) {
        faults[kind]++;
        input.fail = { code: kind, attempts: [1], ...(kind === 'rate_limited' ? { retryAfterMs: int(50, 250) } : {}) };
      }
      return input;
    };

    const a = x * y;
    const b = z + c;
    const sum = a + b + c;
    const stats = { total: sum, max: Math.max(a, b, c), count: 3 };
    const label = `goal ${goalId}: ${word} sum=${sum} max=${stats.max}`;
    const file = `out/${goalId}.txt`;
    const ref = ($ref: string): JsonObject => ({ $ref });

    const plan: TaskGraph = {
      tasks: [
        { id: 'mul', workerType: 'logic', tool: 'math.evaluate', input: { expression: `${x} * ${y}` } },
        { id: 'add', workerType: 'logic', tool: 'math.evaluate', input: { expression: `${z} + ${c}` } },
        { id: 'hold-a', workerType: 'io', tool: 'fault.inject', input: hold('hold-a', ref('mul.value')) },
        { id: 'hold-b', workerType: 'logic', tool: 'fault.inject', input: hold('hold-b', ref('add.value')) },
        { id: 'hold-c', workerType: 'io', tool: 'fault.inject', input: hold('hold-c', c) },
        {
          id: 'sum',
          workerType: 'logic',
          tool: 'math.evaluate',
          input: { expression: 'p + q + r', scope: { p: ref('hold-a.output'), q: ref('hold-b.output'), r: ref('hold-c.output') } },
        },
        {
          id: 'stats',
          workerType: 'logic',
          tool: 'jsonata',
          input: {
            expression: '{"total": $sum(values), "max": $max(values), "count": $count(values)}',
            data: { values: [ref('hold-a.output'), ref('hold-b.output'), ref('hold-c.output')] },
          },
        },
        {
          id: 'label',
          workerType: 'logic',
          tool: 'text.template',
          input: { template: 'goal {{goal}}: {{word}} sum={{sum}} max={{max}}', data: { goal: goalId, word, sum: ref('sum.value'), max: ref('stats.result.max') } },
        },
        { id: 'hold-d', workerType: 'logic', tool: 'fault.inject', input: hold('hold-d', ref('label.text')) },
        {
          id: 'post',
          workerType: 'io',
          tool: 'http.request',
          input: { url: options.effectsUrl, method: 'POST', json: { goal: goalId, label: ref('hold-d.output'), total: ref('stats.result.total') } },
        },
        {
          id: 'render',
          workerType: 'logic',
          tool: 'text.template',
          input: {
            template: '{{label}}\nreceipt {{receipt}}\ntotal {{total}}\n',
            data: { label: ref('hold-d.output'), receipt: ref('post.body.receipt'), total: ref('post.body.total') },
          },
        },
        { id: 'write', workerType: 'io', tool: 'fs.write', input: { path: file, content: ref('render.text'), mode: 'create' } },
        { id: 'seal', workerType: 'io', tool: 'fault.inject', input: hold('seal', ref('write.sha256')) },
      ],
      outputs: ['sum', 'stats', 'render', 'write', 'seal'],
    };
    const message = sampleGoal(goalId, plan, { goal: `chaos goal ${index}: ${word}`, submitter: 'chaos' });
    return { message, goalId, designedToFail, faults, expected: { sum, stats, label, post: { goal: goalId, label, total: sum }, file } };
  });
}

/** Faults injected across the workload, by kind, and how many tasks it has. */
export function workloadFigures(goals: readonly ChaosGoal[]): { tasks: number; faults: Record<RetriedFault, number>; designedToFail: number } {
  const faults: Record<RetriedFault, number> = { timeout: 0, transient: 0, rate_limited: 0 };
  for (const goal of goals) for (const kind of RETRIED_FAULTS) faults[kind] += goal.faults[kind];
  return { tasks: goals.length * TASK_IDS.length, faults, designedToFail: goals.filter((goal) => goal.designedToFail).length };
}
