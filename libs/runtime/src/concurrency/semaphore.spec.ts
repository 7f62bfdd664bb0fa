import { Semaphore } from './semaphore';

/** Lets every pending promise callback run (waiters resume in microtasks). */
const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Starts `count` acquisitions, each recording its label in `order` once it holds a permit. */
function acquireAll(semaphore: Semaphore, labels: readonly string[], order: string[]): Promise<void>[] {
  return labels.map((label) => semaphore.acquire().then(() => void order.push(label)));
}

describe('Semaphore', () => {
  describe('limits', () => {
    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects the limit %p, at construction and in setLimit', (limit) => {
      expect(() => new Semaphore(limit)).toThrow(RangeError);
      const semaphore = new Semaphore(1);
      expect(() => semaphore.setLimit(limit)).toThrow(RangeError);
      expect(semaphore.limit).toBe(1);
    });

    it.each([1, 2, 5])('grants exactly %i permits at once and makes the next acquirer wait', async (limit) => {
      const semaphore = new Semaphore(limit);
      for (let i = 0; i < limit; i++) await semaphore.acquire();
      expect(semaphore.inUse).toBe(limit);

      let extraAcquired = false;
      void semaphore.acquire().then(() => (extraAcquired = true));
      await flushMicrotasks();
      expect(extraAcquired).toBe(false);
      expect(semaphore.waiting).toBe(1);
      expect(semaphore.tryAcquire()).toBe(false);

      semaphore.release();
      await flushMicrotasks();
      expect(extraAcquired).toBe(true);
      expect(semaphore.inUse).toBe(limit);
      expect(semaphore.waiting).toBe(0);
    });
  });

  it('wakes waiters in the order they arrived', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const order: string[] = [];
    acquireAll(semaphore, ['a', 'b', 'c', 'd'], order);
    await flushMicrotasks();
    expect(order).toEqual([]);

    for (const expected of ['a', 'b', 'c', 'd']) {
      semaphore.release();
      await flushMicrotasks();
      expect(order[order.length - 1]).toBe(expected);
    }
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps FIFO order across the internal compaction of a long waiter list', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const labels = Array.from({ length: 3_000 }, (_, i) => `w${i}`);
    const order: string[] = [];
    acquireAll(semaphore, labels, order);
    expect(semaphore.waiting).toBe(3_000);

    for (let i = 0; i < labels.length; i++) {
      semaphore.release();
      expect(semaphore.waiting).toBe(labels.length - i - 1);
    }
    await flushMicrotasks();
    expect(order).toEqual(labels);
    expect(semaphore.inUse).toBe(1);
  });

  describe('tryAcquire', () => {
    it('takes a free permit without waiting', () => {
      const semaphore = new Semaphore(2);
      expect(semaphore.tryAcquire()).toBe(true);
      expect(semaphore.tryAcquire()).toBe(true);
      expect(semaphore.tryAcquire()).toBe(false);
      expect(semaphore.inUse).toBe(2);
    });

    it('never barges ahead of a waiter: a released permit goes to the waiter', async () => {
      const semaphore = new Semaphore(1);
      await semaphore.acquire();
      let waiterAcquired = false;
      void semaphore.acquire().then(() => (waiterAcquired = true));

      semaphore.release();
      // The waiter has not resumed yet, but the permit is already its own.
      expect(semaphore.tryAcquire()).toBe(false);
      expect(semaphore.inUse).toBe(1);
      await flushMicrotasks();
      expect(waiterAcquired).toBe(true);
    });

    it('stays unavailable to newcomers while waiters queue, after a raise that served only some of them', async () => {
      const semaphore = new Semaphore(1);
      await semaphore.acquire();
      const order: string[] = [];
      acquireAll(semaphore, ['a', 'b'], order);
      semaphore.setLimit(2); // wakes "a" only: 2 held
      expect(semaphore.tryAcquire()).toBe(false);
      expect(semaphore.waiting).toBe(1);
      await flushMicrotasks();
      expect(order).toEqual(['a']);
    });
  });

  describe('setLimit', () => {
    it('lowering keeps holders running and makes new acquirers wait until the count is under the new limit', async () => {
      const semaphore = new Semaphore(3);
      for (let i = 0; i < 3; i++) await semaphore.acquire();
      semaphore.setLimit(1);
      expect(semaphore.limit).toBe(1);
      expect(semaphore.inUse).toBe(3); // nobody was interrupted

      let acquired = false;
      void semaphore.acquire().then(() => (acquired = true));
      semaphore.release(); // 2 held, limit 1
      await flushMicrotasks();
      expect(acquired).toBe(false);
      semaphore.release(); // 1 held, limit 1
      await flushMicrotasks();
      expect(acquired).toBe(false);
      expect(semaphore.tryAcquire()).toBe(false);

      semaphore.release(); // 0 held: the waiter gets the only permit
      await flushMicrotasks();
      expect(acquired).toBe(true);
      expect(semaphore.inUse).toBe(1);
    });

    it('raising wakes as many waiters as the new limit allows, oldest first', async () => {
      const semaphore = new Semaphore(1);
      await semaphore.acquire();
      const order: string[] = [];
      acquireAll(semaphore, ['a', 'b', 'c', 'd'], order);

      semaphore.setLimit(3);
      expect(semaphore.inUse).toBe(3);
      expect(semaphore.waiting).toBe(2);
      await flushMicrotasks();
      expect(order).toEqual(['a', 'b']);

      semaphore.setLimit(10);
      await flushMicrotasks();
      expect(order).toEqual(['a', 'b', 'c', 'd']);
      expect(semaphore.inUse).toBe(5);
      expect(semaphore.waiting).toBe(0);
    });
  });

  describe('release', () => {
    it('throws when nothing is held', () => {
      const semaphore = new Semaphore(2);
      expect(() => semaphore.release()).toThrow(/released more often than acquired/);
      semaphore.tryAcquire();
      semaphore.release();
      expect(() => semaphore.release()).toThrow(/released more often than acquired/);
      expect(semaphore.inUse).toBe(0);
    });
  });

  describe('run', () => {
    it('holds a permit while the work runs and returns its value', async () => {
      const semaphore = new Semaphore(1);
      const gate = deferred<string>();
      const running = semaphore.run(() => gate.promise);
      await flushMicrotasks();
      expect(semaphore.inUse).toBe(1);
      gate.resolve('done');
      await expect(running).resolves.toBe('done');
      expect(semaphore.inUse).toBe(0);
    });

    it.each([
      ['rejects', (): Promise<never> => Promise.reject(new Error('boom'))],
      ['throws synchronously', (): Promise<never> => {
        throw new Error('boom');
      }],
    ])('releases its permit when the work %s, and passes the error on', async (_name, work) => {
      const semaphore = new Semaphore(1);
      await expect(semaphore.run(work)).rejects.toThrow('boom');
      expect(semaphore.inUse).toBe(0);
      expect(semaphore.tryAcquire()).toBe(true);
    });

    it('never runs more than the limit at once', async () => {
      const semaphore = new Semaphore(2);
      const gates = Array.from({ length: 5 }, () => deferred());
      let running = 0;
      let peak = 0;
      const all = gates.map((gate) =>
        semaphore.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await gate.promise;
          running--;
        }),
      );
      for (const gate of gates) {
        await flushMicrotasks();
        expect(running).toBeLessThanOrEqual(2);
        gate.resolve();
      }
      await Promise.all(all);
      expect(peak).toBe(2);
      expect(semaphore.inUse).toBe(0);
    });
  });
});
