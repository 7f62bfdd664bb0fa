import { MessageKind } from '../envelope/message-kind';
import { BusMessage } from '../messages/agent-message';
import {
  asPlain,
  sampleCapabilities,
  sampleControl,
  sampleEvent,
  sampleFailedResult,
  sampleGoal,
  sampleRunProgress,
  sampleRunSnapshot,
  sampleSucceededResult,
  sampleTask,
} from '../testing/sample-messages';
import { decode, decodeAs, encode } from './codec';
import { DECODE_ERROR_CODES, DecodeErrorCode } from './decode-error';

const TOPICS = {
  goals: 'agentos.goals.v1',
  tasks: 'agentos.tasks.logic.v1',
  results: 'agentos.results.v1',
  control: 'agentos.control.v1',
  events: 'agentos.events.v1',
  capabilities: 'agentos.capabilities.v1',
  runs: 'agentos.runs.v1',
};

const json = (value: unknown) => JSON.stringify(value);

describe('decode: a valid message of each kind', () => {
  const cases: Array<[string, string, BusMessage]> = [
    ['goal', TOPICS.goals, sampleGoal()],
    ['goal without plan or options', TOPICS.goals, sampleGoal({ plan: undefined, options: undefined, submitter: undefined })],
    ['task', TOPICS.tasks, sampleTask()],
    ['task for a namespaced topic', 'test-42.agentos.tasks.io.v1', sampleTask({ workerType: 'io' })],
    ['succeeded result', TOPICS.results, sampleSucceededResult()],
    ['succeeded result with null output', TOPICS.results, sampleSucceededResult({ output: null })],
    ['failed result', TOPICS.results, sampleFailedResult()],
    ['succeeded result without cost (as before the field existed)', TOPICS.results, sampleSucceededResult({ cost: undefined })],
    ['failed result with cost', TOPICS.results, sampleFailedResult({ cost: 12.5 })],
    ['control', TOPICS.control, sampleControl()],
    ['control for a whole pool (goalId "*")', TOPICS.control, sampleControl({ goalId: '*', correlationId: '*', signal: 'drain' })],
    ['event', TOPICS.events, sampleEvent()],
    [
      'memory.decision event',
      TOPICS.events,
      sampleEvent({ type: 'memory.decision', taskId: undefined, attempt: undefined, data: { decision: 'plan_reuse', similarGoals: 3, bestScore: 0.91 } }),
    ],
    ['capabilities', TOPICS.capabilities, sampleCapabilities()],
    ['capabilities on a namespaced topic', 'test-42.agentos.capabilities.v1', sampleCapabilities({ tools: [] })],
    ['run snapshot', TOPICS.runs, sampleRunSnapshot()],
    ['run snapshot with a plan of its own', TOPICS.runs, sampleRunSnapshot({ plan: sampleGoal().plan })],
    ['run progress', TOPICS.runs, sampleRunProgress()],
    ['run finished', TOPICS.runs, { ...sampleRunSnapshot(), record: 'finished', status: 'succeeded' } as BusMessage],
    ['run claim', TOPICS.runs, { ...sampleRunSnapshot(), goalId: 'partition-3', record: 'claim', partition: 3, claimId: '5f0c6a2e-8d1b-4c3a-9e7f-2b6d1a0c4e55' } as BusMessage],
  ];

  it.each(cases)('%s is ok and unchanged', (_name, topic, message) => {
    expect(decode(topic, json(message))).toEqual({ ok: true, message });
  });

  it('accepts a Buffer as well as a string', () => {
    const task = sampleTask();
    expect(decode(TOPICS.tasks, encode(task))).toEqual({ ok: true, message: task });
  });

  it('accepts and keeps unknown extra fields (additive changes)', () => {
    const task = { ...sampleTask(), addedInV1_3: { anything: [1, 2] }, priority: 'high' };
    const goal = asPlain(sampleGoal());
    (goal.plan as { tasks: Array<Record<string, unknown>> }).tasks[0].costHint = 3;
    expect(decode(TOPICS.tasks, json(task))).toEqual({ ok: true, message: task });
    expect(decode(TOPICS.goals, json(goal))).toEqual({ ok: true, message: goal });
  });
});

describe('decode: every DecodeErrorCode', () => {
  const bigTask = sampleTask({ input: { blob: 'x'.repeat(1_000_001) } });
  const multiByte = sampleTask({ input: { text: 'é'.repeat(500_001) } });
  const cases: Array<[DecodeErrorCode, string, string, string | null | undefined]> = [
    ['oversized', 'more than 1 MB', TOPICS.tasks, json(bigTask)],
    ['oversized', 'over 1 MB in bytes though not in characters', TOPICS.tasks, json(multiByte)],
    ['malformed_json', 'truncated JSON', TOPICS.tasks, json(sampleTask()).slice(0, -1)],
    ['malformed_json', 'not JSON at all', TOPICS.tasks, 'hello'],
    ['malformed_json', 'an empty string', TOPICS.tasks, ''],
    ['malformed_json', 'a null record value (tombstone)', TOPICS.tasks, null],
    ['malformed_json', 'an undefined record value', TOPICS.tasks, undefined],
    ['not_an_object', 'a JSON array', TOPICS.tasks, json([sampleTask()])],
    ['not_an_object', 'a JSON number', TOPICS.tasks, '42'],
    ['not_an_object', 'JSON null', TOPICS.tasks, 'null'],
    ['not_an_object', 'a JSON string', TOPICS.tasks, '"task"'],
    ['unknown_kind', 'an unknown kind', TOPICS.tasks, json({ ...sampleTask(), kind: 'job' })],
    ['unknown_kind', 'no kind', TOPICS.tasks, json({ ...sampleTask(), kind: undefined })],
    ['wrong_topic', 'a task on the results topic', TOPICS.results, json(sampleTask())],
    ['wrong_topic', 'a result on a task topic', TOPICS.tasks, json(sampleSucceededResult())],
    ['wrong_topic', 'an event on the goals topic', TOPICS.goals, json(sampleEvent())],
    ['wrong_topic', 'anything on the runs topic', 'agentos.runs.v1', json(sampleGoal())],
    ['wrong_topic', 'capabilities on the control topic', TOPICS.control, json(sampleCapabilities())],
    ['wrong_topic', 'a control signal on the capabilities topic', TOPICS.capabilities, json(sampleControl())],
    ['wrong_topic', 'anything on a foreign topic', 'orders.v1', json(sampleGoal())],
    ['unsupported_version', 'schemaVersion 2', TOPICS.tasks, json({ ...sampleTask(), schemaVersion: 2 })],
    ['unsupported_version', 'schemaVersion "1" (a string)', TOPICS.tasks, json({ ...sampleTask(), schemaVersion: '1' })],
    ['unsupported_version', 'no schemaVersion', TOPICS.tasks, json({ ...sampleTask(), schemaVersion: undefined })],
    ['schema_violation', 'a task with attempt 0', TOPICS.tasks, json({ ...sampleTask(), attempt: 0 })],
  ];

  it.each(cases)('%s: %s', (code, _name, topic, bytes) => {
    const result = decode(topic, bytes);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code, topic });
    expect(result.error.reason).toEqual(expect.any(String));
  });

  it('covers every code', () => {
    expect(new Set(cases.map(([code]) => code))).toEqual(new Set(DECODE_ERROR_CODES));
  });

  it('accepts a message of exactly 1,000,000 bytes', () => {
    const base = json(sampleTask({ input: { pad: '' } }));
    const task = sampleTask({ input: { pad: 'x'.repeat(1_000_000 - Buffer.byteLength(base)) } });
    expect(Buffer.byteLength(json(task))).toBe(1_000_000);
    expect(decode(TOPICS.tasks, json(task)).ok).toBe(true);
  });

  it('says which kinds the topic expected', () => {
    const result = decode(TOPICS.results, json(sampleTask()));
    expect(!result.ok && result.error.reason).toBe('a task message does not belong on agentos.results.v1 (expected result)');
  });
});

describe('decodeAs: a source that is not a topic', () => {
  const GOAL_FILE = 'goals/sum-orders.json';

  it('decodes a goal file', () => {
    const goal = sampleGoal();
    expect(decodeAs(GOAL_FILE, JSON.stringify(goal, null, 2), ['goal'])).toEqual({ ok: true, message: goal });
  });

  it('names the file and rejects a kind it does not allow', () => {
    expect(decodeAs(GOAL_FILE, json(sampleTask()), ['goal'])).toMatchObject({
      ok: false,
      error: { code: 'wrong_topic', topic: GOAL_FILE },
    });
  });

  it.each<[MessageKind[], BusMessage]>([
    [['goal', 'control'], sampleControl()],
    [['result'], sampleFailedResult()],
  ])('accepts any of the allowed kinds %j', (allowed, message) => {
    expect(decodeAs('http:POST /messages', json(message), allowed)).toEqual({ ok: true, message });
  });
});

describe('decode: run records', () => {
  const violationPaths = (message: object) => {
    const result = decode(TOPICS.runs, json(message));
    return result.ok ? [] : (result.error.violations ?? []).map((violation) => violation.path);
  };

  it('requires the fields of the record type', () => {
    expect(violationPaths({ ...sampleRunSnapshot(), goal: undefined })).toContain('goal');
    expect(violationPaths({ ...sampleRunProgress(), tasks: undefined })).toContain('tasks');
    expect(violationPaths({ ...sampleRunSnapshot(), record: 'finished' })).toContain('status');
    expect(violationPaths({ ...sampleRunSnapshot(), record: 'claim', partition: 1 })).toContain('claimId');
  });

  it('requires an error and a decision on a task that did not succeed', () => {
    const progress = sampleRunProgress({ tasks: [{ taskId: 'fetch', attempt: 2, state: 'failed' }] });
    expect(violationPaths(progress)).toEqual(expect.arrayContaining(['tasks.0.error', 'tasks.0.decision']));
  });

  it('rejects a run record off the runs topic, and agent messages on it', () => {
    expect(decode(TOPICS.results, json(sampleRunProgress()))).toMatchObject({ ok: false, error: { code: 'wrong_topic' } });
    expect(decode(TOPICS.runs, json(sampleGoal()))).toMatchObject({ ok: false, error: { code: 'wrong_topic' } });
  });
});
