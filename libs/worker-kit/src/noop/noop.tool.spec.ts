import { ToolContext } from '../tools/tool';
import { validateDto } from '../tools/dto-validation';
import { ToolError } from '../tools/tool-error';
import { NoopInput, NoopOutput, NoopTool } from './noop.tool';

function context(signal: AbortSignal = new AbortController().signal): ToolContext {
  return { signal, idempotencyKey: 'goal-1:t1', goalId: 'goal-1', taskId: 't1', attempt: 1, reportCost: () => undefined };
}

/** The NoopInput the executor would pass after validation. */
function input(plain: object): NoopInput {
  const validated = validateDto(NoopInput, plain, 'input');
  if (!validated.ok) throw new Error(`invalid noop input ${JSON.stringify(plain)}`);
  return validated.value;
}

describe('NoopTool', () => {
  const tool = new NoopTool();

  afterEach(() => jest.useRealTimers());

  it('describes itself as side-effect free', () => {
    expect(tool).toMatchObject({ name: 'noop', input: NoopInput, output: NoopOutput, sideEffects: false });
  });

  it.each<[string, object, unknown]>([
    ['nothing as null', {}, null],
    ['a string', { echo: 'hello' }, 'hello'],
    ['null', { echo: null }, null],
    ['a nested object', { echo: { a: [1, 2, { b: true }] } }, { a: [1, 2, { b: true }] }],
    ['a number with a zero delay', { echo: 7, delayMs: 0 }, 7],
  ])('echoes %s', async (_name, plain, expected) => {
    const output = await tool.execute(input(plain), context());
    expect(output).toEqual({ echo: expected });
    expect(validateDto(NoopOutput, output, 'output').ok).toBe(true);
  });

  it.each<[string, object]>([
    ['a negative delay', { delayMs: -1 }],
    ['a fractional delay', { delayMs: 1.5 }],
    ['a delay over ten minutes', { delayMs: 600_001 }],
    ['an unknown field', { echo: 1, sleep: 5 }],
  ])('rejects %s in its input', (_name, plain) => {
    expect(validateDto(NoopInput, plain, 'input').ok).toBe(false);
  });

  it('answers only after delayMs', async () => {
    jest.useFakeTimers();
    let output: NoopOutput | undefined;
    void tool.execute(input({ echo: 'late', delayMs: 1_000 }), context()).then((value) => (output = value));
    await jest.advanceTimersByTimeAsync(999);
    expect(output).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(output).toEqual({ echo: 'late' });
  });

  it("rejects with the signal's reason when aborted during the delay, without waiting for it", async () => {
    jest.useFakeTimers();
    const controller = new AbortController();
    const running = tool.execute(input({ delayMs: 60_000 }), context(controller.signal));
    await jest.advanceTimersByTimeAsync(10);
    const reason = new ToolError('cancelled', 'goal cancelled');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('wraps an abort reason that is not a ToolError as cancelled, keeping it as the cause', async () => {
    const controller = new AbortController();
    const running = tool.execute(input({ delayMs: 60_000 }), context(controller.signal));
    const reason = new Error('shutting down');
    controller.abort(reason);
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({ taskErrorCode: 'cancelled', cause: reason });
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new ToolError('timeout', 'deadline passed');
    controller.abort(reason);
    await expect(tool.execute(input({ delayMs: 60_000 }), context(controller.signal))).rejects.toBe(reason);
  });
});
