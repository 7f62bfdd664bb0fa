import { processReadiness, ReadinessChecks } from './readiness-checks';
import { StartupGate } from './startup-gate';

describe('ReadinessChecks', () => {
  it('asks every registered check, and forgets one once unregistered', async () => {
    const checks = new ReadinessChecks();
    checks.register('bus', () => ({ ready: true, details: { subscriptions: 2 } }));
    const unregister = checks.register('memory', async () => ({ ready: false, reason: 'store unreachable' }));
    expect(await checks.evaluate()).toEqual([
      { name: 'bus', status: { ready: true, details: { subscriptions: 2 } } },
      { name: 'memory', status: { ready: false, reason: 'store unreachable' } },
    ]);
    unregister();
    unregister();
    expect(checks.names()).toEqual(['bus']);
  });

  it('keeps both checks of a name registered twice, the second under a numbered name', async () => {
    const checks = new ReadinessChecks();
    const first = checks.register('memory', () => ({ ready: true }));
    checks.register('memory', () => ({ ready: false, reason: 'second store down' }));
    expect(checks.names()).toEqual(['memory', 'memory-2']);
    first();
    checks.register('memory', () => ({ ready: true }));
    expect(checks.names().sort()).toEqual(['memory', 'memory-2']);
  });

  it('turns a throwing check into not ready with its message, and a hanging one into not ready after the timeout', async () => {
    const checks = new ReadinessChecks();
    checks.register('throws', () => {
      throw new Error('connection refused');
    });
    checks.register('rejects', () => Promise.reject(new Error('memory store closed')));
    checks.register('hangs', () => new Promise(() => undefined));
    const started = Date.now();
    const statuses = await checks.evaluate(50);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(statuses).toEqual([
      { name: 'throws', status: { ready: false, reason: 'connection refused' } },
      { name: 'rejects', status: { ready: false, reason: 'memory store closed' } },
      { name: 'hangs', status: { ready: false, reason: 'hangs: no answer within 50 ms' } },
    ]);
  });

  it('is one registry per process', () => {
    expect(processReadiness()).toBe(processReadiness());
  });
});

describe('StartupGate', () => {
  it('is not ready until the service has started', async () => {
    const gate = new StartupGate();
    expect(await gate.check()).toEqual({ ready: false, reason: 'the service is starting' });
    gate.markStarted();
    expect(await gate.check()).toEqual({ ready: true });
  });
});
