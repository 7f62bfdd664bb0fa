import { decodeAs, encode, FailedResult, LIMITS, newEnvelope, ResultMessage, TaskMessage } from '@agentos/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { NoopTool } from '../noop/noop.tool';
import { Tool, ToolContext } from '../tools/tool';
import { ToolError } from '../tools/tool-error';
import { ToolRegistry } from '../tools/tool-registry';
import { TaskExecutor } from './task-executor';

// ---- test tools -------------------------------------------------------------------------

class RepeatOptions {
  @IsInt()
  @Min(1)
  @Max(5)
  readonly times!: number;
}

class EchoInput {
  @IsString()
  @MaxLength(100)
  readonly text!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => RepeatOptions)
  readonly repeat?: RepeatOptions;
}

class EchoOutput {
  @IsString()
  readonly text!: string;
}

/** Input of the scripted tools: which script to run. */
class KeyInput {
  @IsString()
  readonly key!: string;
}

class ValueOutput {
  @IsString()
  readonly value!: string;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

class EchoTool implements Tool<EchoInput, EchoOutput> {
  readonly name = 'text.echo';
  readonly description = 'returns its text, repeated';
  readonly input = EchoInput;
  readonly output = EchoOutput;
  readonly sideEffects = false;
  readonly calls: { input: EchoInput; context: ToolContext }[] = [];

  async execute(input: EchoInput, context: ToolContext): Promise<EchoOutput> {
    this.calls.push({ input, context });
    return { text: input.text.repeat(input.repeat?.times ?? 1) };
  }
}

/**
 * A tool whose every call is driven by the test: `gate(key)` is the promise the call with
 * that key returns; `started` lists keys in start order; `honoursSignal` decides whether an
 * abort rejects the call (a well-behaved tool) or is ignored (a badly-behaved one).
 */
class ScriptedTool implements Tool<KeyInput, ValueOutput> {
  readonly description = 'does what the test says';
  readonly input = KeyInput;
  readonly output = ValueOutput;
  readonly sideEffects = true;
  readonly started: string[] = [];
  readonly signals = new Map<string, AbortSignal>();
  private readonly gates = new Map<string, Deferred<ValueOutput>>();
  running = 0;
  peak = 0;

  constructor(
    readonly name: string,
    private readonly honoursSignal: boolean,
  ) {}

  gate(key: string): Deferred<ValueOutput> {
    let gate = this.gates.get(key);
    if (!gate) {
      gate = deferred<ValueOutput>();
      this.gates.set(key, gate);
    }
    return gate;
  }

  execute(input: KeyInput, context: ToolContext): Promise<ValueOutput> {
    this.started.push(input.key);
    this.signals.set(input.key, context.signal);
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    const gate = this.gate(input.key);
    if (this.honoursSignal) context.signal.addEventListener('abort', () => gate.reject(context.signal.reason), { once: true });
    const done = (): void => void this.running--;
    return gate.promise.finally(done);
  }
}

/** A tool that fails or misbehaves the way `script` says, on every call. */
function misbehaving(name: string, script: (context: ToolContext) => Promise<unknown>): Tool<KeyInput, ValueOutput> {
  return {
    name,
    description: 'misbehaves',
    input: KeyInput,
    output: ValueOutput,
    sideEffects: false,
    execute: (_input, context) => script(context) as Promise<ValueOutput>,
  };
}

// ---- fixtures ---------------------------------------------------------------------------

const T0 = new Date('2025-03-01T10:00:00.000Z');

function task(overrides: Partial<TaskMessage> = {}): TaskMessage {
  const goalId = overrides.goalId ?? 'goal-1';
  const taskId = overrides.taskId ?? 'task-1';
  return {
    ...newEnvelope('task', { goalId, correlationId: 'corr-1', causationId: 'goal-message-1' }),
    taskId,
    attempt: 1,
    workerType: 'io',
    tool: 'text.echo',
    input: { text: 'hi' },
    timeoutMs: 5_000,
    idempotencyKey: `${goalId}:${taskId}`,
    ...overrides,
  };
}

const scriptedTask = (tool: string, key: string, overrides: Partial<TaskMessage> = {}): TaskMessage =>
  task({ taskId: key, tool, input: { key }, ...overrides });

/** Lets every pending promise callback run; with fake timers, advances no time. */
const settle = (): Promise<void> => jest.advanceTimersByTimeAsync(0);

function failed(result: ResultMessage): FailedResult {
  if (result.status !== 'failed') throw new Error(`expected a failed result, got ${JSON.stringify(result)}`);
  return result;
}

/** Every Result must pass the contract the supervisor validates it against. */
function expectValidOnTheWire(result: ResultMessage): void {
  const decoded = decodeAs('test', encode(result), ['result']);
  expect(decoded.ok ? 'valid' : decoded.error.reason).toBe('valid');
}

describe('TaskExecutor', () => {
  let echo: EchoTool;
  let obedient: ScriptedTool;
  let stubborn: ScriptedTool;

  function executor(concurrency = 4, extra: Tool[] = []): TaskExecutor {
    return new TaskExecutor(new ToolRegistry([echo, obedient, stubborn, new NoopTool(), ...extra]), {
      workerType: 'io',
      workerId: 'io-worker-1',
      concurrency,
    });
  }

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    echo = new EchoTool();
    obedient = new ScriptedTool('test.obedient', true);
    stubborn = new ScriptedTool('test.stubborn', false);
  });

  afterEach(() => jest.useRealTimers());

  describe('success', () => {
    it('reports a succeeded Result in the envelope of the task it answers', async () => {
      const incoming = task({ goalId: 'goal-42', taskId: 'summarise', attempt: 3, input: { text: 'ab', repeat: { times: 2 } } });
      const result = await executor().execute(incoming);

      expect(result).toMatchObject({
        schemaVersion: 1,
        kind: 'result',
        goalId: 'goal-42',
        correlationId: 'corr-1',
        causationId: incoming.id,
        taskId: 'summarise',
        attempt: 3,
        workerType: 'io',
        workerId: 'io-worker-1',
        status: 'succeeded',
        output: { text: 'abab' },
      });
      expect(result.id).not.toBe(incoming.id);
      expect(result).not.toHaveProperty('error');
      expectValidOnTheWire(result);
    });

    it('gives the tool its validated input and the task context', async () => {
      await executor().execute(task({ goalId: 'goal-9', taskId: 'step-2', attempt: 2, idempotencyKey: 'goal-9:step-2', input: { text: 'x', repeat: { times: 1 } } }));
      expect(echo.calls).toHaveLength(1);
      const [{ input, context }] = echo.calls as [{ input: EchoInput; context: ToolContext }];
      expect(input).toBeInstanceOf(EchoInput);
      expect(input.repeat).toBeInstanceOf(RepeatOptions);
      expect(context).toMatchObject({ idempotencyKey: 'goal-9:step-2', goalId: 'goal-9', taskId: 'step-2', attempt: 2 });
      expect(context.signal.aborted).toBe(false);
    });

    it('reports timings in order: received, started after waiting for a slot, finished after the run', async () => {
      const exec = executor(1);
      const first = exec.execute(scriptedTask('test.obedient', 'first'));
      await settle();
      const second = exec.execute(scriptedTask('test.obedient', 'second'));
      await jest.advanceTimersByTimeAsync(250);
      obedient.gate('first').resolve({ value: 'one' });
      await settle();
      await jest.advanceTimersByTimeAsync(100);
      obedient.gate('second').resolve({ value: 'two' });

      for (const result of [await first, await second]) {
        const { receivedAt, startedAt, finishedAt, runMs } = result.timings;
        expect(Date.parse(receivedAt)).toBeLessThanOrEqual(Date.parse(startedAt));
        expect(Date.parse(startedAt)).toBeLessThanOrEqual(Date.parse(finishedAt));
        expect(runMs).toBeGreaterThanOrEqual(0);
        expect(runMs).toBe(Date.parse(finishedAt) - Date.parse(startedAt));
        expectValidOnTheWire(result);
      }
      const waited = (await second).timings;
      expect(Date.parse(waited.startedAt)).toBeGreaterThan(Date.parse(waited.receivedAt));
    });

    it('runs the noop tool every worker offers', async () => {
      const result = await executor().execute(task({ tool: 'noop', input: { echo: { a: 1 } } }));
      expect(result).toMatchObject({ status: 'succeeded', output: { echo: { a: 1 } } });
    });
  });

  describe('refusals before the tool runs', () => {
    it('answers tool_not_found for a tool this worker type does not offer, naming what it offers', async () => {
      const exec = executor();
      const error = failed(await exec.execute(task({ tool: 'fs.delete' }))).error;
      expect(error).toMatchObject({ code: 'tool_not_found', retriable: false });
      expect(error.message).toContain('"fs.delete"');
      expect(error.message).toContain('text.echo');
      expect(exec.slots.inUse).toBe(0);
    });

    it('answers tool_not_found for a task meant for another worker type', async () => {
      const result = failed(await executor().execute(task({ workerType: 'logic' })));
      expect(result.error).toMatchObject({ code: 'tool_not_found', retriable: false });
      expect(result.error.message).toContain('"logic"');
      expect(echo.calls).toHaveLength(0);
    });

    it("answers invalid_input with every violation of the tool's input DTO, and never runs the tool", async () => {
      const exec = executor();
      const result = failed(await exec.execute(task({ input: { text: 5, shout: true, repeat: { times: 9 } } })));
      expect(result.error).toMatchObject({ code: 'invalid_input', retriable: false });
      const violations = (result.error.details as { violations: { path: string; problems: string[] }[] }).violations;
      expect(violations.map((violation) => violation.path).sort()).toEqual(['repeat.times', 'shout', 'text']);
      expect(result.error.message).toContain('repeat.times');
      expect(echo.calls).toHaveLength(0);
      expect(exec.slots.inUse).toBe(0);
      expectValidOnTheWire(result);
    });

    it('keeps an invalid_input Result within the contract however many fields are wrong', async () => {
      const input = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`unexpected_field_number_${i}`, i]));
      const result = failed(await executor().execute(task({ input: { text: 'x', ...input } })));
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message.length).toBeLessThanOrEqual(LIMITS.maxErrorMessageLength);
      expectValidOnTheWire(result);
    });
  });

  describe('tool failures', () => {
    it.each<[string, () => unknown, object]>([
      [
        'a rate_limited ToolError keeps its retryAfterMs',
        () => new ToolError('rate_limited', 'upstream said 429', { retryAfterMs: 1_500 }),
        { code: 'rate_limited', message: 'upstream said 429', retriable: true, retryAfterMs: 1_500 },
      ],
      [
        'a logic_error ToolError with details',
        () => new ToolError('logic_error', 'no such column', { details: { column: 'total' } }),
        { code: 'logic_error', message: 'no such column', retriable: false, details: { column: 'total' } },
      ],
      [
        'a transient ToolError the tool says is not retriable',
        () => new ToolError('transient', 'disk full', { retriable: false }),
        { code: 'transient', message: 'disk full', retriable: false },
      ],
      ['a plain Error becomes internal', () => new TypeError('x is undefined'), { code: 'internal', message: 'TypeError: x is undefined', retriable: false }],
      ['a thrown string becomes internal', () => 'just a string', { code: 'internal', message: 'just a string', retriable: false }],
    ])('%s', async (_name, makeError, expected) => {
      const exec = executor(2, [misbehaving('test.fails', () => Promise.reject(makeError()))]);
      const result = failed(await exec.execute(task({ tool: 'test.fails', input: { key: 'k' } })));
      expect(result.error).toEqual(expected);
      expect(exec.slots.inUse).toBe(0);
      expect(exec.inFlight.size).toBe(0);
      expectValidOnTheWire(result);
    });

    it('answers internal, and frees its slot, when a tool throws synchronously instead of rejecting', async () => {
      const exec = executor(1, [
        misbehaving('test.throws', () => {
          throw new RangeError('thrown before any promise');
        }),
      ]);
      const result = failed(await exec.execute(task({ tool: 'test.throws', input: { key: 'k' } })));
      expect(result.error).toMatchObject({ code: 'internal', retriable: false });
      expect(result.error.message).toContain('thrown before any promise');
      expect(exec.slots.inUse).toBe(0);
      expect(exec.inFlight.size).toBe(0);
      expect(jest.getTimerCount()).toBe(0);
      expect((await exec.execute(task())).status).toBe('succeeded');
    });

    it('keeps a huge tool error message within the contract', async () => {
      const exec = executor(1, [misbehaving('test.verbose', () => Promise.reject(new ToolError('logic_error', 'x'.repeat(20_000))))]);
      const result = failed(await exec.execute(task({ tool: 'test.verbose', input: { key: 'k' } })));
      expect(result.error.code).toBe('logic_error');
      expect(result.error.message.length).toBeLessThanOrEqual(LIMITS.maxErrorMessageLength);
      expectValidOnTheWire(result);
    });

    it.each<[string, number, number]>([
      ['a fractional delay is rounded up', 1_500.2, 1_501],
      ['a negative delay becomes zero', -10, 0],
      ['a delay past the largest task timeout is capped', 10 * LIMITS.maxTaskTimeoutMs, LIMITS.maxTaskTimeoutMs],
    ])('keeps retryAfterMs within the contract: %s', async (_name, given, expected) => {
      const exec = executor(1, [misbehaving('test.limited', () => Promise.reject(new ToolError('rate_limited', 'slow down', { retryAfterMs: given })))]);
      const result = failed(await exec.execute(task({ tool: 'test.limited', input: { key: 'k' } })));
      expect(result.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expected });
      expectValidOnTheWire(result);
    });

    it.each<[string, unknown]>([
      ['a wrongly typed field', { value: 42 }],
      ['a missing field', { other: 'x' }],
      ['undefined (forgot to return)', undefined],
      ['null', null],
    ])('answers internal when the output breaks the output DTO: %s', async (_name, output) => {
      const exec = executor(1, [misbehaving('test.bad_output', () => Promise.resolve(output))]);
      const result = failed(await exec.execute(task({ tool: 'test.bad_output', input: { key: 'k' } })));
      expect(result.error).toMatchObject({ code: 'internal', retriable: false });
      expect(result.error.message).toContain('test.bad_output broke its output contract');
      expect(exec.slots.inUse).toBe(0);
      expectValidOnTheWire(result);
    });
  });

  describe('deadline', () => {
    it('answers timeout at the deadline when the tool ignores its signal, and holds the slot until the tool settles', async () => {
      const exec = executor(1);
      let result: ResultMessage | undefined;
      void exec.execute(scriptedTask('test.stubborn', 'hang', { timeoutMs: 1_000 })).then((value) => (result = value));
      await settle();
      expect(stubborn.started).toEqual(['hang']);

      await jest.advanceTimersByTimeAsync(999);
      expect(result).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(result).toBeDefined();
      const error = failed(result!).error;
      expect(error).toMatchObject({ code: 'timeout', retriable: true });
      expect(error.message).toContain('1000 ms');
      expect(stubborn.signals.get('hang')!.aborted).toBe(true);
      expectValidOnTheWire(result!);

      // The tool is still running: its slot is not given to the next task.
      expect(exec.slots.inUse).toBe(1);
      expect(exec.inFlight.size).toBe(1);
      const next = exec.execute(task());
      await settle();
      expect(echo.calls).toHaveLength(0);
      expect(exec.slots.waiting).toBe(1);

      stubborn.gate('hang').resolve({ value: 'too late' });
      expect((await next).status).toBe('succeeded');
      expect(exec.slots.inUse).toBe(0);
      expect(exec.inFlight.size).toBe(0);
    });

    it('answers timeout and frees the slot at once when the tool honours its signal', async () => {
      const exec = executor(1);
      const running = exec.execute(scriptedTask('test.obedient', 'slow', { timeoutMs: 2_000 }));
      await jest.advanceTimersByTimeAsync(2_000);
      expect(failed(await running).error.code).toBe('timeout');
      expect(exec.slots.inUse).toBe(0);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('counts time spent waiting for a slot against the deadline', async () => {
      const exec = executor(1);
      const first = exec.execute(scriptedTask('test.obedient', 'first', { timeoutMs: 10_000 }));
      await settle();
      let second: ResultMessage | undefined;
      void exec.execute(scriptedTask('test.stubborn', 'second', { timeoutMs: 1_000 })).then((value) => (second = value));
      await jest.advanceTimersByTimeAsync(600);
      obedient.gate('first').resolve({ value: 'one' });
      await settle();
      expect((await first).status).toBe('succeeded');
      expect(stubborn.started).toEqual(['second']);

      await jest.advanceTimersByTimeAsync(399);
      expect(second).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(failed(second!).error.code).toBe('timeout');
      stubborn.gate('second').resolve({ value: 'late' });
    });

    it('clears the deadline timer when the tool finishes in time', async () => {
      const exec = executor(1);
      const running = exec.execute(scriptedTask('test.obedient', 'quick', { timeoutMs: 60_000 }));
      await settle();
      expect(jest.getTimerCount()).toBe(1);
      obedient.gate('quick').resolve({ value: 'done' });
      expect((await running).status).toBe('succeeded');
      expect(jest.getTimerCount()).toBe(0);
      expect(obedient.signals.get('quick')!.aborted).toBe(false);
    });
  });

  describe('cost', () => {
    /** A tool that reports these costs, then does what `finish` says. */
    const spending = (costs: number[], finish: (context: ToolContext) => Promise<unknown>) =>
      misbehaving('test.spends', (context) => {
        for (const units of costs) context.reportCost(units);
        return finish(context);
      });
    const spendingTask = (overrides: Partial<TaskMessage> = {}) => task({ tool: 'test.spends', input: { key: 'k' }, ...overrides });

    it('puts the sum of what the tool reported on a succeeded Result', async () => {
      const exec = executor(1, [spending([2, 0.5, 10], () => Promise.resolve({ value: 'done' }))]);
      const result = await exec.execute(spendingTask());
      expect(result).toMatchObject({ status: 'succeeded', cost: 12.5 });
      expectValidOnTheWire(result);
    });

    it('puts it on a Result failed by a ToolError thrown after spending', async () => {
      const exec = executor(1, [spending([3], () => Promise.reject(new ToolError('rate_limited', 'quota gone')))]);
      const result = failed(await exec.execute(spendingTask()));
      expect(result.error.code).toBe('rate_limited');
      expect(result.cost).toBe(3);
      expectValidOnTheWire(result);
    });

    it('puts what was spent before the deadline on a timeout', async () => {
      const hang = deferred<ValueOutput>();
      const exec = executor(1, [spending([7], () => hang.promise)]);
      const running = exec.execute(spendingTask({ timeoutMs: 1_000 }));
      await jest.advanceTimersByTimeAsync(1_000);
      const result = failed(await running);
      expect(result.error.code).toBe('timeout');
      expect(result.cost).toBe(7);
      expectValidOnTheWire(result);
      hang.resolve({ value: 'late' });
    });

    it('leaves cost out when the tool reported none, or only zero', async () => {
      for (const costs of [[], [0]]) {
        const result = await executor(1, [spending(costs, () => Promise.resolve({ value: 'free' }))]).execute(spendingTask());
        expect(result.status).toBe('succeeded');
        expect(result).not.toHaveProperty('cost');
      }
      const refused = await executor().execute(task({ tool: 'fs.delete' }));
      expect(refused).not.toHaveProperty('cost');
    });

    it('ignores negative and non-finite reports', async () => {
      const exec = executor(1, [spending([-5, 4, NaN, Infinity, -Infinity, '3' as unknown as number], () => Promise.resolve({ value: 'v' }))]);
      const result = await exec.execute(spendingTask());
      expect(result.cost).toBe(4);
      expect((await executor(1, [spending([-1], () => Promise.resolve({ value: 'v' }))]).execute(spendingTask()))).not.toHaveProperty('cost');
    });

    it('caps the total at the contract limit, so the Result stays valid', async () => {
      const exec = executor(1, [spending([LIMITS.maxResultCost, LIMITS.maxResultCost], () => Promise.resolve({ value: 'v' }))]);
      const result = await exec.execute(spendingTask());
      expect(result.cost).toBe(LIMITS.maxResultCost);
      expectValidOnTheWire(result);
    });

    it('counts each attempt on its own, and works when reportCost is passed around detached', async () => {
      const tool = misbehaving('test.spends', ({ reportCost }) => {
        reportCost(1.5);
        return Promise.resolve({ value: 'v' });
      });
      const exec = executor(2, [tool]);
      const [first, second] = await Promise.all([exec.execute(spendingTask({ attempt: 1 })), exec.execute(spendingTask({ attempt: 2 }))]);
      expect([first.cost, second.cost]).toEqual([1.5, 1.5]);
    });
  });

  describe('concurrency', () => {
    it.each([1, 2, 4])('runs exactly %i tools at once; the rest start, oldest first, as slots free', async (limit) => {
      const exec = executor(limit);
      const keys = Array.from({ length: limit + 3 }, (_, i) => `t${i}`);
      const results = keys.map((key) => exec.execute(scriptedTask('test.obedient', key)));
      await settle();
      expect(obedient.started).toEqual(keys.slice(0, limit));
      expect(exec.slots.inUse).toBe(limit);
      expect(exec.slots.waiting).toBe(3);
      // Waiting tasks are tracked too, so a cancel reaches them before they start.
      expect(exec.inFlight.size).toBe(limit + 3);

      // Finish the running tools newest first: waiting tasks still start in arrival order.
      const finished = new Set<string>();
      while (finished.size < keys.length) {
        const running = obedient.started.filter((key) => !finished.has(key));
        expect(running).toHaveLength(Math.min(limit, keys.length - finished.size));
        expect(exec.slots.inUse).toBe(running.length);
        const newest = running[running.length - 1]!;
        obedient.gate(newest).resolve({ value: newest });
        finished.add(newest);
        await settle();
        expect(obedient.started).toEqual(keys.slice(0, Math.min(keys.length, limit + finished.size)));
      }
      const all = await Promise.all(results);
      expect(all.map((result) => [result.taskId, result.status])).toEqual(keys.map((key) => [key, 'succeeded']));
      expect(obedient.peak).toBe(limit);
      expect(exec.slots.inUse).toBe(0);
    });

    it('obeys a lowered limit for new tasks without interrupting running ones', async () => {
      const exec = executor(3);
      const keys = ['a', 'b', 'c', 'd', 'e'];
      const results = keys.map((key) => exec.execute(scriptedTask('test.obedient', key)));
      await settle();
      expect(obedient.started).toEqual(['a', 'b', 'c']);
      exec.slots.setLimit(1);
      obedient.gate('a').resolve({ value: 'a' });
      await settle();
      obedient.gate('b').resolve({ value: 'b' });
      await settle();
      expect(obedient.started).toEqual(['a', 'b', 'c']);
      obedient.gate('c').resolve({ value: 'c' });
      await settle();
      expect(obedient.started).toEqual(['a', 'b', 'c', 'd']);
      obedient.gate('d').resolve({ value: 'd' });
      obedient.gate('e').resolve({ value: 'e' });
      expect((await Promise.all(results)).every((result) => result.status === 'succeeded')).toBe(true);
    });
  });

  describe('cancellation', () => {
    it('cancels the running tools of one goal only', async () => {
      const exec = executor(4);
      const g1a = exec.execute(scriptedTask('test.obedient', 'a', { goalId: 'goal-1' }));
      const g1b = exec.execute(scriptedTask('test.obedient', 'b', { goalId: 'goal-1' }));
      const g2 = exec.execute(scriptedTask('test.obedient', 'c', { goalId: 'goal-2' }));
      await settle();

      expect(exec.inFlight.cancel({ goalId: 'goal-1' }, 'the user cancelled goal-1')).toBe(2);
      for (const result of [await g1a, await g1b]) {
        expect(failed(result).error).toEqual({ code: 'cancelled', message: 'the user cancelled goal-1', retriable: false });
        expect(result.goalId).toBe('goal-1');
        expectValidOnTheWire(result);
      }
      expect(obedient.signals.get('c')!.aborted).toBe(false);
      await settle(); // the aborted tools' promises settle, freeing their slots
      expect(exec.slots.inUse).toBe(1);
      expect(exec.inFlight.size).toBe(1);

      obedient.gate('c').resolve({ value: 'still fine' });
      expect(await g2).toMatchObject({ status: 'succeeded', output: { value: 'still fine' } });
    });

    it('cancels one task by its id', async () => {
      const exec = executor(4);
      const a = exec.execute(scriptedTask('test.obedient', 'a'));
      const b = exec.execute(scriptedTask('test.obedient', 'b'));
      await settle();
      expect(exec.inFlight.cancel({ taskId: 'b' }, 'stop b')).toBe(1);
      expect(failed(await b).error.code).toBe('cancelled');
      obedient.gate('a').resolve({ value: 'a' });
      expect((await a).status).toBe('succeeded');
    });

    it('reports cancelled at once even when the tool ignores its signal, but keeps the slot until it settles', async () => {
      const exec = executor(2);
      const running = exec.execute(scriptedTask('test.stubborn', 'deaf', { goalId: 'goal-7' }));
      await settle();
      exec.inFlight.cancel({ goalId: 'goal-7' }, 'cancelled');
      expect(failed(await running).error.code).toBe('cancelled');
      expect(exec.slots.inUse).toBe(1);
      stubborn.gate('deaf').resolve({ value: 'done anyway' });
      await settle();
      expect(exec.slots.inUse).toBe(0);
    });

    it('cancels a task still waiting for a slot without ever starting its tool', async () => {
      const exec = executor(1);
      const first = exec.execute(scriptedTask('test.obedient', 'first', { goalId: 'goal-1' }));
      const queued = exec.execute(scriptedTask('test.obedient', 'queued', { goalId: 'goal-2' }));
      await settle();
      expect(exec.slots.waiting).toBe(1);
      expect(exec.inFlight.cancel({ goalId: 'goal-2' }, 'goal-2 cancelled while queued')).toBe(1);
      expect(failed(await queued).error).toMatchObject({ code: 'cancelled', message: 'goal-2 cancelled while queued' });
      expect(exec.slots.waiting).toBe(0);
      obedient.gate('first').resolve({ value: 'first' });
      expect((await first).status).toBe('succeeded');
      expect(obedient.started).toEqual(['first']);
    });

    it('cancels nothing when no running task matches', async () => {
      const exec = executor(2);
      const running = exec.execute(scriptedTask('test.obedient', 'a', { goalId: 'goal-1' }));
      await settle();
      expect(exec.inFlight.cancel({ goalId: 'goal-2' }, 'x')).toBe(0);
      expect(exec.inFlight.cancel({ goalId: 'goal-1', taskId: 'other' }, 'x')).toBe(0);
      obedient.gate('a').resolve({ value: 'a' });
      expect((await running).status).toBe('succeeded');
    });

    it('cancelAll aborts every running tool', async () => {
      const exec = executor(3);
      const results = ['a', 'b', 'c'].map((key, i) => exec.execute(scriptedTask('test.obedient', key, { goalId: `goal-${i}` })));
      await settle();
      expect(exec.inFlight.cancelAll('shutting down')).toBe(3);
      for (const result of await Promise.all(results)) expect(failed(result).error).toMatchObject({ code: 'cancelled', message: 'shutting down' });
      await settle();
      expect(exec.slots.inUse).toBe(0);
      expect(exec.inFlight.size).toBe(0);
    });
  });
});
