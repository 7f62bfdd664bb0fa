import { PoolLimits } from '../scheduling/pool-limits';
import { AdaptiveConcurrency } from './adaptive-concurrency';

describe('AdaptiveConcurrency (AIMD per worker type)', () => {
  let clock: number;
  let pools: PoolLimits;
  let aimd: AdaptiveConcurrency;
  const fill = (count: number) => {
    for (let i = 0; i < count; i++) expect(pools.tryAcquire('io')).toBe(true);
  };

  beforeEach(() => {
    clock = 1_000;
    pools = new PoolLimits(8);
    aimd = new AdaptiveConcurrency(pools, 8, () => clock);
  });

  it('halves what is in flight (the failed task counted) on a rate limit', () => {
    fill(6);
    pools.release('io');
    expect(aimd.onRateLimited('io', 900)).toBe(3);
    expect(pools.limit('io')).toBe(3);
    expect(pools.limit('logic')).toBe(8);
  });

  it('acts once per congestion episode: signals about tasks sent before the decrease are ignored', () => {
    fill(8);
    pools.release('io');
    expect(aimd.onRateLimited('io', 900)).toBe(4);
    pools.release('io');
    expect(aimd.onRateLimited('io', 950)).toBeUndefined();
    clock = 2_000;
    expect(aimd.onRateLimited('io', 1_500)).toBe(2);
  });

  it('never goes below one', () => {
    pools.setLimit('io', 1);
    expect(aimd.onRateLimited('io', 2_000)).toBe(1);
  });

  it('adds one after each full window of successes, up to the ceiling', () => {
    pools.setLimit('io', 2);
    aimd.onSuccess('io');
    expect(pools.limit('io')).toBe(2);
    aimd.onSuccess('io');
    expect(pools.limit('io')).toBe(3);
    for (let i = 0; i < 3 + 4 + 5 + 6 + 7 + 8; i++) aimd.onSuccess('io');
    expect(pools.limit('io')).toBe(8);
  });

  it('makes an operator’s limit both the current limit and the ceiling it grows back to', () => {
    aimd.setCeiling('io', 3);
    expect(pools.limit('io')).toBe(3);
    for (let i = 0; i < 50; i++) aimd.onSuccess('io');
    expect(pools.limit('io')).toBe(3);
  });
});
