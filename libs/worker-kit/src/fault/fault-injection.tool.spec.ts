import { newEnvelope, TaskMessage } from '@agentos/contracts';
import { TaskExecutor } from '../execution/task-executor';
import { ToolRegistry } from '../tools/tool-registry';
import { FaultInjectionTool } from './fault-injection.tool';

const task = (attempt: number, input: TaskMessage['input'], timeoutMs = 5_000): TaskMessage => ({
  ...newEnvelope('task', { goalId: 'g' }),
  taskId: 'f',
  attempt,
  workerType: 'io',
  tool: 'fault.inject',
  input,
  timeoutMs,
  idempotencyKey: 'g:f',
});

describe('FaultInjectionTool (through the executor, as a worker runs it)', () => {
  const executor = new TaskExecutor(new ToolRegistry([new FaultInjectionTool()]), { workerType: 'io', workerId: 'w', concurrency: 4 });

  it('fails with the chosen code and retryAfterMs on the chosen attempts only', async () => {
    const input = { fail: { code: 'rate_limited', attempts: [1, 2], retryAfterMs: 250 }, output: { ok: true } };
    expect(await executor.execute(task(1, input))).toMatchObject({
      status: 'failed',
      error: { code: 'rate_limited', retriable: true, retryAfterMs: 250, message: 'injected rate_limited on attempt 1' },
    });
    expect(await executor.execute(task(2, input))).toMatchObject({ status: 'failed', error: { code: 'rate_limited' } });
    expect(await executor.execute(task(3, input))).toMatchObject({ status: 'succeeded', output: { output: { ok: true }, attempt: 3 } });
  });

  it('fails every attempt when no attempts are named, with the right retriable flag per code', async () => {
    expect(await executor.execute(task(7, { fail: { code: 'logic_error' } }))).toMatchObject({ error: { code: 'logic_error', retriable: false } });
    expect(await executor.execute(task(7, { fail: { code: 'transient' } }))).toMatchObject({ error: { code: 'transient', retriable: true } });
  });

  it('hangs past the deadline when asked, which the executor reports as a timeout', async () => {
    expect(await executor.execute(task(1, { delayMs: 60_000 }, 30))).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
  });

  it('rejects a malformed fault as invalid input', async () => {
    expect(await executor.execute(task(1, { fail: { code: 'boom' } }))).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await executor.execute(task(1, { fail: { code: 'transient', extra: 1 } }))).toMatchObject({ error: { code: 'invalid_input' } });
  });
});
