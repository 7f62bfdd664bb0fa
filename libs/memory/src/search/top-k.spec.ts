import { TopK } from './top-k';

const byItem = (a: number, b: number) => a < b;

describe('TopK', () => {
  it('keeps the k best of items offered in any order, best first', () => {
    const scores = [0.1, 0.9, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0];
    const orders = [scores.map((_, i) => i), scores.map((_, i) => scores.length - 1 - i), [5, 0, 9, 2, 7, 1, 8, 3, 6, 4]];
    for (const order of orders) {
      const best = new TopK(3, byItem);
      for (const item of order) best.offer(item, scores[item]!);
      expect(best.sorted()).toEqual([
        { item: 1, score: 0.9 },
        { item: 6, score: 0.8 },
        { item: 4, score: 0.7 },
      ]);
    }
  });

  it('breaks ties with ranksBefore, also when deciding what to drop', () => {
    const best = new TopK(2, byItem);
    for (const item of [9, 4, 7, 1]) best.offer(item, 0.5);
    expect(best.sorted()).toEqual([
      { item: 1, score: 0.5 },
      { item: 4, score: 0.5 },
    ]);
    expect(best.wouldKeep(0, 0.5)).toBe(true);
    expect(best.wouldKeep(5, 0.5)).toBe(false);
    expect(best.wouldKeep(5, 0.49)).toBe(false);
  });

  it('keeps everything below k, and nothing with k = 0', () => {
    const some = new TopK(10, byItem);
    some.offer(3, -1);
    some.offer(2, 1);
    expect(some.sorted().map((kept) => kept.item)).toEqual([2, 3]);
    const none = new TopK(0, byItem);
    none.offer(1, 1);
    expect(none.wouldKeep(1, 1)).toBe(false);
    expect(none.sorted()).toEqual([]);
  });
});
