import { newEnvelope, TaskMessage } from '@agentos/contracts';
import { InProcessBus } from './in-process-bus';

// The shared MessageBus contract runs in libs/test-kit (bus-contract); these are in-process specifics.
const task = (taskId: string): TaskMessage => ({
  ...newEnvelope('task', { goalId: 'g' }),
  taskId,
  attempt: 1,
  workerType: 'io',
  tool: 'noop',
  input: {},
  timeoutMs: 1_000,
  idempotencyKey: `g:${taskId}`,
});

describe('InProcessBus', () => {
  it('forgets a group when its last member closes, so later records are not queued for nobody', async () => {
    const bus = new InProcessBus();
    const kept = await bus.subscribe({ topics: ['t'], groupId: 'kept', maxInFlight: 1 }, async () => undefined);
    const followed = await bus.subscribe({ topics: ['t'], groupId: 'follower', maxInFlight: 1 }, async () => undefined);
    expect(bus.stats().groups).toBe(2);

    await followed.close();
    expect(bus.stats().groups).toBe(1);
    await bus.publish(Array.from({ length: 100 }, (_, i) => ({ topic: 't', key: `k${i}`, message: task(`t${i}`) })));
    expect(bus.stats().queued).toBeLessThanOrEqual(100);

    await kept.close();
    expect(bus.stats()).toEqual({ groups: 0, queued: 0, backlog: 0 });
    await bus.close();
  });
});
