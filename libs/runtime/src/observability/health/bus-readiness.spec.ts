import { BusHealth } from '../../bus/bus-health';
import { busReadiness } from './bus-readiness';

describe('busReadiness', () => {
  const subscriptions = [
    { groupId: 'agentos.supervisor', topics: ['agentos.goals.v1', 'agentos.results.v1'], running: true },
    { groupId: 'agentos.supervisor.control.1', topics: ['agentos.control.v1'], running: false },
  ];

  it("is ready when the bus says so, listing the bus's subscriptions", async () => {
    const health: BusHealth = { ready: true, subscriptions };
    expect(await busReadiness({ health: () => health })()).toEqual({ ready: true, details: { subscriptions } });
  });

  it("is not ready with the bus's own reason", async () => {
    const health: BusHealth = { ready: false, reason: 'consumer of agentos.supervisor.control.1 crashed', subscriptions };
    expect(await busReadiness({ health: () => health })()).toEqual({
      ready: false,
      reason: 'consumer of agentos.supervisor.control.1 crashed',
      details: { subscriptions },
    });
  });

  it('says the bus is not ready when the bus gives no reason', async () => {
    expect(await busReadiness({ health: () => ({ ready: false, subscriptions: [] }) })()).toMatchObject({ ready: false, reason: 'the bus is not ready' });
  });

  it('reads the bus on every call, not once', async () => {
    let ready = false;
    const check = busReadiness({ health: () => ({ ready, subscriptions: [] }) });
    expect(await check()).toMatchObject({ ready: false });
    ready = true;
    expect(await check()).toMatchObject({ ready: true });
  });
});
