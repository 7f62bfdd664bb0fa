import { ConfigError, loadConfig } from '@agentos/runtime';
import { SupervisorConfig } from './supervisor.config';

describe('SupervisorConfig', () => {
  it('has a default for every setting', () => {
    expect(loadConfig(SupervisorConfig, {})).toMatchObject({
      SUPERVISOR_TASK_TIMEOUT_MS: 30_000,
      SUPERVISOR_DEADLINE_GRACE_MS: 2_000,
      SUPERVISOR_MAX_ATTEMPTS: 3,
      SUPERVISOR_RETRY_BASE_MS: 200,
      SUPERVISOR_RETRY_MAX_MS: 10_000,
      SUPERVISOR_GOAL_CONCURRENCY: 256,
      SUPERVISOR_POOL_CONCURRENCY: 1_024,
      SUPERVISOR_TASK_EVENTS: 'all',
      SUPERVISOR_MAX_IN_FLIGHT: 1_024,
    });
  });

  it('converts numbers from the environment', () => {
    expect(loadConfig(SupervisorConfig, { SUPERVISOR_MAX_ATTEMPTS: '5', SUPERVISOR_DEADLINE_GRACE_MS: '0' })).toMatchObject({
      SUPERVISOR_MAX_ATTEMPTS: 5,
      SUPERVISOR_DEADLINE_GRACE_MS: 0,
    });
  });

  it.each([
    ['all', 'all'],
    ['failures', 'failures'],
    ['none', 'none'],
  ])('SUPERVISOR_TASK_EVENTS=%s -> %p', (raw, expected) => {
    expect(loadConfig(SupervisorConfig, { SUPERVISOR_TASK_EVENTS: raw }).SUPERVISOR_TASK_EVENTS).toBe(expected);
  });

  it('lists every invalid setting', () => {
    const load = (): SupervisorConfig => loadConfig(SupervisorConfig, { SUPERVISOR_MAX_ATTEMPTS: '0', SUPERVISOR_TASK_EVENTS: 'maybe' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/SUPERVISOR_MAX_ATTEMPTS[\s\S]*SUPERVISOR_TASK_EVENTS/);
  });
});
