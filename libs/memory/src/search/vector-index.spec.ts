import { seededRandom as seeded } from '@agentos/runtime';
import { VectorIndex } from './vector-index';
import { wasmSimdAvailable } from './wasm-int8-kernel';

function randomVector(random: () => number, dimensions: number): number[] {
  return Array.from({ length: dimensions }, () => random() * 2 - 1);
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

interface Entry {
  readonly id: string;
  readonly vector: number[];
}

/** The obvious implementation: score everything in float64, sort, cut. */
function naiveSearch(entries: readonly Entry[], query: number[], k: number, filter: (id: string) => boolean = () => true) {
  return entries
    .filter((entry) => filter(entry.id))
    .map((entry) => ({ id: entry.id, score: cosine(entry.vector, query) }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, k);
}

const FLOAT32_SLACK = 1e-5;

/** Same neighbours as the naive search (up to float32 rounding between near-equal scores). */
function expectSameNeighbours(actual: { id: string; score: number }[], expected: { id: string; score: number }[], all: readonly { id: string; score: number }[]): void {
  expect(actual.map((n) => n.score)).toEqual(expected.map((n) => expect.closeTo(n.score, 5)));
  const exact = new Map(all.map((n) => [n.id, n.score]));
  for (const neighbour of actual) expect(exact.get(neighbour.id)).toBeCloseTo(neighbour.score, 5);
  const kth = expected[expected.length - 1]?.score;
  const next = all[expected.length]?.score;
  if (kth !== undefined && (next === undefined || kth - next > FLOAT32_SLACK)) {
    expect(new Set(actual.map((n) => n.id))).toEqual(new Set(expected.map((n) => n.id)));
  }
}

describe.each(['wasm-simd', 'scalar'] as const)('VectorIndex (%s kernel)', (kernel) => {
  const create = (dimensions: number, initialCapacity?: number) =>
    new VectorIndex({ dimensions, kernel, ...(initialCapacity === undefined ? {} : { initialCapacity }) });

  it('uses the kernel asked for', () => {
    expect(create(8).kernel).toBe(kernel);
  });

  it.each([
    [37, 500, 1],
    [37, 500, 5],
    [64, 300, 20],
    [384, 200, 5],
    [1_536, 60, 7],
  ])('finds the same neighbours as a naive search on random data (%i dimensions, %i vectors, k=%i)', (dimensions, count, k) => {
    const random = seeded(dimensions * 1_000 + k);
    const entries: Entry[] = Array.from({ length: count }, (_, i) => ({ id: `v${i}`, vector: randomVector(random, dimensions) }));
    // Starts with room for 1 vector: every doubling is crossed on the way.
    const index = create(dimensions, 1);
    for (const entry of entries) index.add(entry.id, entry.vector);
    expect(index.size).toBe(count);
    for (let q = 0; q < 25; q++) {
      const query = randomVector(random, dimensions);
      const all = naiveSearch(entries, query, count);
      expectSameNeighbours(index.search(query, k), all.slice(0, k), all);
    }
  });

  it('scores a stored vector against itself as 1 and its opposite as -1', () => {
    const index = create(5);
    index.add('a', [1, 2, 3, 4, 5]);
    index.add('b', [-1, -2, -3, -4, -5]);
    const [first, second] = index.search([2, 4, 6, 8, 10], 2);
    expect(first).toEqual({ id: 'a', score: expect.closeTo(1, 6) });
    expect(second).toEqual({ id: 'b', score: expect.closeTo(-1, 6) });
  });

  it('stores vectors at unit length: the score is the cosine whatever the lengths', () => {
    const index = create(2);
    index.add('a', [3, 4]);
    expect(index.search([10, 0], 1)).toEqual([{ id: 'a', score: expect.closeTo(0.6, 6) }]);
  });

  it('returns nothing from an empty index, and nothing for k = 0', () => {
    const index = create(3);
    expect(index.search([1, 0, 0], 5)).toEqual([]);
    index.add('a', [1, 0, 0]);
    expect(index.search([1, 0, 0], 0)).toEqual([]);
  });

  it('returns every vector, best first, when k exceeds the size', () => {
    const index = create(2);
    index.add('far', [-1, 0]);
    index.add('near', [1, 0.1]);
    index.add('side', [0, 1]);
    expect(index.search([1, 0], 10).map((n) => n.id)).toEqual(['near', 'side', 'far']);
  });

  it('orders equal scores by id, whatever the insertion order, also at the edge of the top k', () => {
    const index = create(3);
    for (const id of ['d', 'b', 'c', 'a']) index.add(id, [0, 1, 0]);
    index.add('worse', [0, 1, 1]);
    expect(index.search([0, 1, 0], 10)).toEqual([
      { id: 'a', score: expect.closeTo(1, 6) },
      { id: 'b', score: expect.closeTo(1, 6) },
      { id: 'c', score: expect.closeTo(1, 6) },
      { id: 'd', score: expect.closeTo(1, 6) },
      { id: 'worse', score: expect.closeTo(Math.SQRT1_2, 6) },
    ]);
    expect(index.search([0, 1, 0], 2).map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('returns the best k of the vectors the filter accepts', () => {
    const random = seeded(7);
    const entries: Entry[] = Array.from({ length: 400 }, (_, i) => ({ id: `v${i}`, vector: randomVector(random, 16) }));
    const index = create(16);
    for (const entry of entries) index.add(entry.id, entry.vector);
    const even = (id: string) => Number(id.slice(1)) % 2 === 0;
    const query = randomVector(random, 16);
    const all = naiveSearch(entries, query, 400, even);
    const found = index.search(query, 6, even);
    expect(found).toHaveLength(6);
    expect(found.every((n) => even(n.id))).toBe(true);
    expectSameNeighbours(found, all.slice(0, 6), all);
    expect(index.search(query, 6, () => false)).toEqual([]);
  });

  it('asks the filter at most once per id, and only about some of them', () => {
    const random = seeded(8);
    const index = create(24);
    // A cluster the filter rejects, nearest to the query: the worst case for filter calls.
    const centre = randomVector(random, 24);
    for (let i = 0; i < 600; i++) index.add(`v${i}`, i % 3 === 0 ? centre.map((value) => value + random() * 0.01) : randomVector(random, 24));
    const asked = new Map<string, number>();
    const found = index.search(centre, 5, (id) => {
      asked.set(id, (asked.get(id) ?? 0) + 1);
      return Number(id.slice(1)) % 3 !== 0;
    });
    expect(found).toHaveLength(5);
    expect(Math.max(...asked.values())).toBe(1);
    expect(asked.size).toBeLessThan(600);
  });

  it('lets an exception from the filter through, and searches normally afterwards', () => {
    const index = create(2);
    index.add('a', [1, 0]);
    index.add('b', [0, 1]);
    expect(() => index.search([1, 0], 1, () => { throw new Error('filter failed'); })).toThrow('filter failed');
    expect(index.search([1, 0], 1, (id) => id === 'a')).toEqual([{ id: 'a', score: expect.closeTo(1, 6) }]);
    expect(index.search([1, 0], 2, (id) => id === 'b')).toEqual([{ id: 'b', score: expect.closeTo(0, 6) }]);
  });

  it('replaces the vector of an id added again', () => {
    const index = create(2);
    index.add('a', [1, 0]);
    index.add('b', [0.8, 0.6]);
    index.add('a', [0, 1]);
    expect(index.size).toBe(2);
    expect(index.search([1, 0], 2)).toEqual([
      { id: 'b', score: expect.closeTo(0.8, 6) },
      { id: 'a', score: expect.closeTo(0, 6) },
    ]);
  });

  it('forgets removed vectors and keeps finding the others', () => {
    const random = seeded(11);
    const entries: Entry[] = Array.from({ length: 50 }, (_, i) => ({ id: `v${i}`, vector: randomVector(random, 12) }));
    const index = create(12);
    for (const entry of entries) index.add(entry.id, entry.vector);
    const removed = new Set(['v0', 'v17', 'v49', 'v30']);
    for (const id of removed) expect(index.remove(id)).toBe(true);
    expect(index.remove('v17')).toBe(false);
    expect(index.has('v17')).toBe(false);
    expect(index.size).toBe(46);
    const kept = entries.filter((entry) => !removed.has(entry.id));
    for (const entry of kept) {
      expect(index.search(entry.vector, 1)).toEqual([{ id: entry.id, score: expect.closeTo(1, 5) }]);
    }
    const query = randomVector(random, 12);
    const all = naiveSearch(kept, query, 50);
    expectSameNeighbours(index.search(query, 50), all, all);
    index.add('v17', entries[17]!.vector);
    expect(index.search(entries[17]!.vector, 1)[0]!.id).toBe('v17');
  });

  it('refuses vectors and queries it cannot compare, and a bad k', () => {
    const index = create(3);
    expect(() => index.add('a', [1, 0])).toThrow(RangeError);
    expect(() => index.add('a', [0, 0, 0])).toThrow(/length 0/);
    expect(() => index.add('a', [1, Number.NaN, 0])).toThrow(/non-finite/);
    expect(() => index.add('a', [1, Number.POSITIVE_INFINITY, 0])).toThrow(/non-finite/);
    expect(index.size).toBe(0);
    index.add('a', [1, 0, 0]);
    expect(() => index.search([1, 0], 1)).toThrow(/2 dimensions, the index 3/);
    expect(() => index.search([0, 0, 0], 1)).toThrow(/length 0/);
    expect(() => index.search([1, 0, 0], -1)).toThrow(RangeError);
    expect(() => index.search([1, 0, 0], 1.5)).toThrow(RangeError);
  });
});

describe('VectorIndex', () => {
  it('uses WebAssembly SIMD by default where the runtime has it (Node 20 does)', () => {
    expect(wasmSimdAvailable()).toBe(true);
    expect(new VectorIndex({ dimensions: 4 }).kernel).toBe('wasm-simd');
  });

  it('rejects impossible dimensions', () => {
    expect(() => new VectorIndex({ dimensions: 0 })).toThrow(RangeError);
    expect(() => new VectorIndex({ dimensions: 2.5 })).toThrow(RangeError);
  });

  it('reserves memory by doubling, not per vector', () => {
    const index = new VectorIndex({ dimensions: 384, initialCapacity: 1, kernel: 'scalar' });
    const sizes = new Set<number>();
    for (let i = 0; i < 1_000; i++) {
      index.add(`v${i}`, [1, ...new Array<number>(383).fill(0)]);
      sizes.add(index.reservedBytes);
    }
    // 1, 2, 4, ..., 1024 vectors: 11 sizes for 1,000 additions.
    expect(sizes.size).toBe(11);
    expect(index.reservedBytes).toBe(4 * 384 * 1_024);
  });

  it('returns exactly what the exact float32 scan returns, ids and scores, also among near-duplicates', () => {
    const random = seeded(99);
    const dimensions = 96;
    const base = randomVector(random, dimensions);
    // Clusters of near-duplicates: scores differ by far less than the int8 error, so only rescoring can order them.
    const entries: Entry[] = Array.from({ length: 3_000 }, (_, i) => {
      const centre = i % 3 === 0 ? base : randomVector(random, dimensions);
      return { id: `v${i}`, vector: centre.map((value) => value + (random() - 0.5) * 1e-3) };
    });
    const fast = new VectorIndex({ dimensions, kernel: 'wasm-simd' });
    const exact = new VectorIndex({ dimensions, kernel: 'scalar' });
    for (const entry of entries) {
      fast.add(entry.id, entry.vector);
      exact.add(entry.id, entry.vector);
    }
    const odd = (id: string) => Number(id.slice(1)) % 2 === 1;
    for (let q = 0; q < 20; q++) {
      const query = (q % 2 === 0 ? base : randomVector(random, dimensions)).map((value) => value + (random() - 0.5) * 1e-3);
      for (const k of [1, 5, 50]) {
        expect(fast.search(query, k)).toEqual(exact.search(query, k));
        expect(fast.search(query, k, odd)).toEqual(exact.search(query, k, odd));
      }
    }
  });

  it('rescores only the vectors whose int8 bound can reach the top k', () => {
    const random = seeded(5);
    const index = new VectorIndex({ dimensions: 64, kernel: 'wasm-simd' });
    for (let i = 0; i < 5_000; i++) index.add(`v${i}`, randomVector(random, 64));
    index.search(randomVector(random, 64), 5);
    expect(index.lastSearchRescored).toBeGreaterThanOrEqual(5);
    expect(index.lastSearchRescored).toBeLessThan(500);
    const exact = new VectorIndex({ dimensions: 64, kernel: 'scalar' });
    exact.add('a', [1, ...new Array<number>(63).fill(0)]);
    exact.search([1, ...new Array<number>(63).fill(0)], 1);
    expect(exact.lastSearchRescored).toBe(1);
  });
});
