import { newEnvelope } from '@agentos/contracts';
import { StaticToolCatalog } from '../catalog/tool-catalog';
import { PlanValidator } from '../planning/plan-validator';
import { Run } from '../runs/run';
import { PoolLimits } from './pool-limits';

const validator = new PlanValidator(new StaticToolCatalog({ io: ['noop'] }));

function run(goalId: string): Run {
  const validation = validator.validate({ tasks: [{ id: 't', workerType: 'io', tool: 'noop' }] });
  if (!validation.ok) throw new Error('invalid test plan');
  return new Run({ ...newEnvelope('goal', { goalId }), goal: `goal ${goalId}` }, validation.plan, 10);
}

function acquireAll(pools: PoolLimits, workerType: string): number {
  let acquired = 0;
  while (pools.tryAcquire(workerType)) acquired++;
  return acquired;
}

describe('PoolLimits', () => {
  it.each([1, 3, 64])('grants the default limit of %i per worker type', (limit) => {
    const pools = new PoolLimits(limit);
    expect(pools.limit('io')).toBe(limit);
    expect(acquireAll(pools, 'io')).toBe(limit);
    expect(pools.inFlightOf('io')).toBe(limit);
  });

  it('counts each worker type separately', () => {
    const pools = new PoolLimits(2);
    expect(acquireAll(pools, 'io')).toBe(2);
    expect(pools.tryAcquire('logic')).toBe(true);
    expect(pools.inFlightOf('logic')).toBe(1);
    expect(pools.inFlightOf('io')).toBe(2);
    expect(pools.inFlightOf('gpu')).toBe(0);
  });

  it('frees one slot per release', () => {
    const pools = new PoolLimits(2);
    acquireAll(pools, 'io');
    pools.release('io');
    expect(pools.inFlightOf('io')).toBe(1);
    expect(pools.tryAcquire('io')).toBe(true);
    expect(pools.tryAcquire('io')).toBe(false);
  });

  it('never counts below zero', () => {
    const pools = new PoolLimits(1);
    expect(pools.release('io')).toEqual([]);
    expect(pools.inFlightOf('io')).toBe(0);
    expect(acquireAll(pools, 'io')).toBe(1);
  });

  describe('setLimit', () => {
    it.each<[number, number]>([
      [5, 5],
      [2.9, 2],
      [0, 1],
      [-4, 1],
    ])('setLimit(%p) sets a limit of %i for that worker type only', (requested, effective) => {
      const pools = new PoolLimits(3);
      pools.setLimit('io', requested);
      expect(pools.limit('io')).toBe(effective);
      expect(pools.limit('logic')).toBe(3);
      expect(acquireAll(pools, 'io')).toBe(effective);
    });

    it('raising a limit hands back the runs that waited on that pool, once; lowering it hands back none', () => {
      const pools = new PoolLimits(1);
      acquireAll(pools, 'io');
      const waiting = { goalId: 'g' } as unknown as Parameters<PoolLimits['waitFor']>[1];
      pools.waitFor('io', waiting);
      expect(pools.setLimit('io', 1)).toEqual([]);
      expect(pools.setLimit('io', 3)).toEqual([waiting]);
      expect(pools.setLimit('io', 5)).toEqual([]);
      pools.waitFor('io', waiting);
      expect(pools.setLimit('io', 2)).toEqual([]);
    });

    it('lowering below what is in flight blocks new acquisitions until enough are released', () => {
      const pools = new PoolLimits(4);
      acquireAll(pools, 'io');
      pools.setLimit('io', 2);
      expect(pools.inFlightOf('io')).toBe(4);
      pools.release('io');
      pools.release('io');
      expect(pools.tryAcquire('io')).toBe(false);
      pools.release('io');
      expect(pools.tryAcquire('io')).toBe(true);
      expect(pools.tryAcquire('io')).toBe(false);
    });
  });

  describe('waiters', () => {
    it('wakes the runs waiting on a pool once, oldest first, when a slot frees', () => {
      const pools = new PoolLimits(1);
      const [first, second, third] = [run('g1'), run('g2'), run('g3')];
      pools.tryAcquire('io');
      pools.waitFor('io', first!);
      pools.waitFor('io', second!);
      pools.waitFor('io', first!); // waiting again changes nothing
      pools.waitFor('io', third!);

      expect(pools.release('io')).toEqual([first, second, third]);
      expect(pools.release('io')).toEqual([]);
    });

    it('wakes only the waiters of the pool that freed a slot', () => {
      const pools = new PoolLimits(1);
      const [onIo, onLogic] = [run('g1'), run('g2')];
      pools.tryAcquire('io');
      pools.tryAcquire('logic');
      pools.waitFor('io', onIo!);
      pools.waitFor('logic', onLogic!);
      expect(pools.release('io')).toEqual([onIo]);
      expect(pools.release('logic')).toEqual([onLogic]);
    });

    it('does not wake a forgotten run', () => {
      const pools = new PoolLimits(1);
      const [kept, finished] = [run('g1'), run('g2')];
      pools.tryAcquire('io');
      pools.tryAcquire('logic');
      pools.waitFor('io', finished!);
      pools.waitFor('io', kept!);
      pools.waitFor('logic', finished!);
      pools.forget(finished!);
      expect(pools.release('io')).toEqual([kept]);
      expect(pools.release('logic')).toEqual([]);
    });

    it('lets a woken run wait again and be woken by a later release', () => {
      const pools = new PoolLimits(1);
      const waiter = run('g1');
      pools.tryAcquire('io');
      pools.waitFor('io', waiter);
      expect(pools.release('io')).toEqual([waiter]);
      pools.tryAcquire('io'); // someone else took the slot first
      pools.waitFor('io', waiter);
      expect(pools.release('io')).toEqual([waiter]);
    });
  });
});
