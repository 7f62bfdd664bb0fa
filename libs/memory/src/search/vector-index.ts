import { QuantizedRows } from './quantized-rows';
import { TopK } from './top-k';
import { wasmSimdAvailable } from './wasm-int8-kernel';

export interface Neighbour {
  readonly id: string;
  /** Cosine similarity with the query, in [-1, 1]. */
  readonly score: number;
}

/** `wasm-simd`: int8 SIMD scan, then exact rescoring; `scalar`: exact float32 scan in plain JavaScript. */
export type SearchKernel = 'wasm-simd' | 'scalar';

export interface VectorIndexOptions {
  /** Length of every vector added and searched. */
  readonly dimensions: number;
  /** Vectors to make room for at once (it doubles from there); 64 unless given. Give the count when loading a known set. */
  readonly initialCapacity?: number;
  /** `auto` (default): `wasm-simd` where the runtime has WebAssembly SIMD (Node 20 does), else `scalar`. */
  readonly kernel?: 'auto' | SearchKernel;
}

const MAX_DIMENSIONS = 65_536;
const DEFAULT_CAPACITY = 64;

/** Σ rows[at + i] * query[i]: the exact score, the same arithmetic for every kernel. */
function dotAt(rows: Float32Array, at: number, query: Float32Array, dimensions: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < dimensions; i += 4) {
    s0 += rows[at + i] * query[i];
    s1 += rows[at + i + 1] * query[i + 1];
    s2 += rows[at + i + 2] * query[i + 2];
    s3 += rows[at + i + 3] * query[i + 3];
  }
  for (; i < dimensions; i++) s0 += rows[at + i] * query[i];
  return s0 + s1 + s2 + s3;
}

/**
 * Exact cosine nearest neighbours by brute force, made fast by layout rather than by an
 * approximate structure: every vector is kept unit-length in one contiguous float32 block
 * (capacity doubling), and an int8 copy of it in WebAssembly memory. A query scans all int8 rows
 * with SIMD (a quarter of the memory traffic of float32), which yields for every vector an upper
 * bound on its exact score (see `QuantizedRows`); it then rescores in float32 only the vectors
 * whose bound reaches the k-th best exact score found, so the result is the exact top k, the same
 * as a float32 scan of everything (`kernel: 'scalar'`) returns.
 *
 * About 4 ms per k=5 query at 100,000 x 384 on the 2-core bench machine (p99 about 6 ms; the
 * float32 scan takes 47 ms); memory 4 + 1 bytes per dimension per vector plus 36 bytes. No
 * training, no tuning, no recall loss (docs/benchmarks.md, "Memory: nearest-neighbour search").
 */
export class VectorIndex {
  readonly dimensions: number;
  /** Exact unit vectors, `capacity` rows of `dimensions` floats. */
  private rows: Float32Array;
  private readonly quantized: QuantizedRows | undefined;
  private readonly query: Float32Array;
  private slotsReserved = 0;
  private readonly ids: string[] = [];
  private readonly slots = new Map<string, number>();
  private rescored = 0;
  /** The filter's answer per slot during one search (0: not asked, 1: yes, 2: no), so it is asked once per id. */
  private verdicts = new Uint8Array(0);
  private readonly asked: number[] = [];

  constructor(options: VectorIndexOptions) {
    const { dimensions } = options;
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new RangeError(`VectorIndex dimensions must be an integer in 1..${MAX_DIMENSIONS}, got ${dimensions}`);
    }
    this.dimensions = dimensions;
    this.query = new Float32Array(dimensions);
    this.rows = new Float32Array(0);
    const kernel = options.kernel ?? 'auto';
    const simd = kernel === 'wasm-simd' || (kernel === 'auto' && wasmSimdAvailable());
    this.quantized = simd ? new QuantizedRows(dimensions) : undefined;
    this.reserve(Math.max(1, options.initialCapacity ?? DEFAULT_CAPACITY));
  }

  get kernel(): SearchKernel {
    return this.quantized ? 'wasm-simd' : 'scalar';
  }

  get size(): number {
    return this.ids.length;
  }

  /** Vectors it has room for before it grows (doubling). */
  get capacity(): number {
    return this.slotsReserved;
  }

  /** Bytes reserved for vectors and scratch (by capacity, not size); ids are extra. */
  get reservedBytes(): number {
    return this.rows.byteLength + (this.quantized?.reservedBytes ?? 0);
  }

  /** Vectors the last search scored in float32 (all of them with the scalar kernel): how well the int8 bound pruned. */
  get lastSearchRescored(): number {
    return this.rescored;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /**
   * Adds a vector under `id`, or replaces the one it had. The vector is stored scaled to unit
   * length; a RangeError for a wrong length, a non-finite component or a zero vector.
   */
  add(id: string, vector: ArrayLike<number>): void {
    const scale = this.unitScale(vector, `vector of "${id}"`);
    let slot = this.slots.get(id);
    if (slot === undefined) {
      if (this.ids.length === this.slotsReserved) this.reserve(this.slotsReserved * 2);
      slot = this.ids.length;
      this.ids.push(id);
      this.slots.set(id, slot);
    }
    const at = slot * this.dimensions;
    for (let i = 0; i < this.dimensions; i++) this.rows[at + i] = vector[i] * scale;
    this.quantized?.set(slot, this.rows, at);
  }

  /** Removes `id`'s vector (the last one moves into its place); false when it had none. */
  remove(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    if (slot !== last) {
      const from = last * this.dimensions;
      this.rows.copyWithin(slot * this.dimensions, from, from + this.dimensions);
      this.quantized?.move(last, slot);
      const moved = this.ids[last];
      this.ids[slot] = moved;
      this.slots.set(moved, slot);
    }
    this.ids.pop();
    this.slots.delete(id);
    return true;
  }

  /**
   * The `k` stored vectors most similar to `query` (cosine), best first; equal scores by id.
   * Fewer when the index (or the filter) leaves fewer. `filter` is asked at most once per id and
   * only about vectors that could make the top k; it runs inside the scan, so keep it cheap.
   */
  search(query: ArrayLike<number>, k: number, filter?: (id: string) => boolean): Neighbour[] {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
    const scale = this.unitScale(query, 'query');
    this.rescored = 0;
    const size = this.ids.length;
    if (k === 0 || size === 0) return [];
    for (let i = 0; i < this.dimensions; i++) this.query[i] = query[i] * scale;
    const accepts = filter === undefined ? undefined : this.remembering(filter);
    try {
      const best = this.quantized ? this.searchQuantized(this.quantized, Math.min(k, size), accepts) : this.searchExact(Math.min(k, size), accepts);
      return best.sorted().map(({ item, score }) => ({ id: this.ids[item], score }));
    } finally {
      for (const slot of this.asked) this.verdicts[slot] = 0;
      this.asked.length = 0;
    }
  }

  /** The filter by slot, asked once per slot in this search. */
  private remembering(filter: (id: string) => boolean): (slot: number) => boolean {
    return (slot) => {
      const known = this.verdicts[slot];
      if (known !== 0) return known === 1;
      const verdict = filter(this.ids[slot]);
      this.verdicts[slot] = verdict ? 1 : 2;
      this.asked.push(slot);
      return verdict;
    };
  }

  /** Every vector scored in float32. */
  private searchExact(k: number, accepts: ((slot: number) => boolean) | undefined): TopK {
    const best = this.topK(k);
    const size = this.ids.length;
    for (let slot = 0; slot < size; slot++) {
      const score = this.exactScore(slot);
      if (best.wouldKeep(slot, score) && (accepts === undefined || accepts(slot))) best.offer(slot, score);
    }
    this.rescored = size;
    return best;
  }

  /**
   * int8 scan; the k best by approximate score, rescored, give a floor t on the k-th exact
   * score; only vectors whose upper bound reaches t can be in the top k, and only they are
   * rescored.
   */
  private searchQuantized(quantized: QuantizedRows, k: number, accepts: ((slot: number) => boolean) | undefined): TopK {
    const size = this.ids.length;
    const { approx, upper } = quantized.scan(this.query, size);
    const guess = this.topK(k);
    for (let slot = 0; slot < size; slot++) {
      if (guess.wouldKeep(slot, approx[slot]) && (accepts === undefined || accepts(slot))) guess.offer(slot, approx[slot]);
    }
    const best = this.topK(k);
    const guessed = new Set<number>();
    let floor = Number.POSITIVE_INFINITY;
    for (const { item } of guess.sorted()) {
      const score = this.exactScore(item);
      best.offer(item, score);
      guessed.add(item);
      floor = Math.min(floor, score);
    }
    // Fewer than k vectors pass the filter: they are the answer.
    if (guess.size < k) {
      this.rescored = guess.size;
      return best;
    }
    let rescored = guess.size;
    for (let slot = 0; slot < size; slot++) {
      if (upper[slot] < floor || guessed.has(slot) || (accepts !== undefined && !accepts(slot))) continue;
      best.offer(slot, this.exactScore(slot));
      rescored += 1;
    }
    this.rescored = rescored;
    return best;
  }

  private exactScore(slot: number): number {
    return dotAt(this.rows, slot * this.dimensions, this.query, this.dimensions);
  }

  private topK(k: number): TopK {
    const ids = this.ids;
    return new TopK(k, (a, b) => ids[a] < ids[b]);
  }

  private reserve(capacity: number): void {
    const rows = new Float32Array(capacity * this.dimensions);
    rows.set(this.rows.subarray(0, Math.min(this.rows.length, rows.length)));
    this.rows = rows;
    this.verdicts = new Uint8Array(capacity);
    this.quantized?.reserve(capacity);
    this.slotsReserved = capacity;
  }

  /** 1 / |vector|, after checking its length and values. */
  private unitScale(vector: ArrayLike<number>, what: string): number {
    if (vector.length !== this.dimensions) throw new RangeError(`${what} has ${vector.length} dimensions, the index ${this.dimensions}`);
    let sumOfSquares = 0;
    for (let i = 0; i < this.dimensions; i++) sumOfSquares += vector[i] * vector[i];
    if (!Number.isFinite(sumOfSquares)) throw new RangeError(`${what} has a non-finite component`);
    if (sumOfSquares === 0) throw new RangeError(`${what} has length 0`);
    return 1 / Math.sqrt(sumOfSquares);
  }
}
