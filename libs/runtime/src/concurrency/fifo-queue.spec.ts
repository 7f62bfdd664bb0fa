import { seededRandom as seeded } from '../random/seeded-random';
import { FifoQueue } from './fifo-queue';

describe('FifoQueue', () => {
  it('is empty when new', () => {
    const queue = new FifoQueue<number>();
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
    expect(queue.drain()).toEqual([]);
  });

  it('shifts items in the order they were pushed', () => {
    const queue = new FifoQueue<string>();
    for (const item of ['a', 'b', 'c']) queue.push(item);
    expect(queue.length).toBe(3);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual(['a', 'b', 'c', undefined]);
    expect(queue.length).toBe(0);
  });

  it.each([
    ['an untouched queue (no free slot at the front)', 0],
    ['a queue whose front was shifted (a free slot is reused)', 2],
  ])('unshift puts an item at the front of %s', (_name, shiftedFirst) => {
    const queue = new FifoQueue<number>();
    for (let i = 0; i < 5; i++) queue.push(i);
    for (let i = 0; i < shiftedFirst; i++) queue.shift();
    queue.unshift(100);
    queue.unshift(101);
    expect(queue.length).toBe(5 - shiftedFirst + 2);
    expect(queue.drain()).toEqual([101, 100, ...[0, 1, 2, 3, 4].slice(shiftedFirst)]);
  });

  it('unshift into an emptied queue is the next shift', () => {
    const queue = new FifoQueue<number>();
    queue.push(1);
    queue.shift();
    queue.unshift(2);
    queue.push(3);
    expect(queue.shift()).toBe(2);
    expect(queue.shift()).toBe(3);
    expect(queue.shift()).toBeUndefined();
  });

  it('drain returns what is left, in order, and empties the queue', () => {
    const queue = new FifoQueue<number>();
    for (let i = 0; i < 10; i++) queue.push(i);
    queue.shift();
    queue.shift();
    expect(queue.drain()).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
    queue.push(42);
    expect(queue.drain()).toEqual([42]);
  });

  it('keeps order and length across compaction (more than 1024 items shifted)', () => {
    const queue = new FifoQueue<number>();
    const total = 5_000;
    for (let i = 0; i < total; i++) queue.push(i);
    for (let i = 0; i < 3_000; i++) {
      expect(queue.shift()).toBe(i);
      expect(queue.length).toBe(total - i - 1);
    }
    queue.unshift(-1);
    queue.unshift(-2);
    queue.push(total);
    expect(queue.length).toBe(2_003);
    const rest = queue.drain();
    expect(rest).toEqual([-2, -1, ...Array.from({ length: 2_000 }, (_, i) => 3_000 + i), total]);
  });

  it('agrees with a plain array under a long random mix of push, shift and unshift', () => {
    const random = seeded(7);
    const queue = new FifoQueue<number>();
    const model: number[] = [];
    let next = 0;
    for (let step = 0; step < 30_000; step++) {
      const roll = random();
      if (roll < 0.5) {
        queue.push(next);
        model.push(next++);
      } else if (roll < 0.6) {
        queue.unshift(next);
        model.unshift(next++);
      } else {
        expect(queue.shift()).toBe(model.shift());
      }
      if (step % 997 === 0) expect(queue.length).toBe(model.length);
    }
    expect(queue.length).toBe(model.length);
    expect(queue.drain()).toEqual(model);
  });
});
