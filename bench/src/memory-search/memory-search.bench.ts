import { LocalHashEmbedder, VectorIndex } from '@agentos/memory';
import { LatencySummary, percentile, summarize } from '../stats/percentiles';
import { generateGoals, NOVEL_TEMPLATES, STORED_TEMPLATES } from './goal-generator';

/** Stored goals at which query latency is measured: linear scaling shows across two decades. */
export const MEMORY_SEARCH_SIZES = [1_000, 10_000, 100_000] as const;
export const MEMORY_SEARCH_K = 5;
/** Target: p99 of one k=5 query at 100,000 stored goals. */
export const MEMORY_SEARCH_P99_TARGET_MS = 20;
const QUERIES = 200;
/** The baselines take 50-250 ms per query at 100,000: fewer queries there keep the bench short. */
const baselineQueries = (stored: number) => (stored >= 100_000 ? 50 : QUERIES);
const WARMUP_QUERIES = 5;
const WARMUP_MS = 300;
const QUALITY_QUERIES = 500;
const NOVEL_QUERIES = 300;
const SCORE_SLACK = 1e-5;

export interface SearchLatency {
  readonly implementation: 'VectorIndex (wasm-simd)' | 'VectorIndex (scalar JS)' | 'naive (number[] + full sort)' | 'VectorIndex (wasm-simd), filter rejecting half';
  readonly stored: number;
  readonly queries: number;
  readonly latency: LatencySummary;
  /** Queries whose top-k scores equal the naive search's (within float32 rounding). */
  readonly agreement?: number;
}

export interface MemorySearchResult {
  readonly model: string;
  readonly dimensions: number;
  readonly embedding: { readonly texts: number; readonly ms: number; readonly perSecond: number; readonly meanNonZero: number };
  readonly build: {
    readonly vectors: number;
    readonly ms: number;
    /** Everything the index reserved (float32 rows, int8 rows, per-row scratch), for `capacity` vectors. */
    readonly reservedBytes: number;
    readonly capacity: number;
    /** JavaScript heap for ids and their slots. */
    readonly heapBytes: number;
    /** What the naive baseline's number[] vectors take on the heap. */
    readonly naiveHeapBytes: number;
  };
  readonly latencies: readonly SearchLatency[];
  /** Vectors rescored in float32 per query at the largest size (the int8 bound prunes the rest). */
  readonly rescoredPerQuery: number;
  readonly quality: {
    readonly queries: number;
    /** Queries (fresh parameters, stored templates) whose nearest stored goal has their template. */
    readonly top1SameTemplate: number;
    /** Score of the best stored goal of the query's own template: p10, p50. */
    readonly sameTemplateScore: { readonly p10: number; readonly p50: number };
    /** Score of the best stored goal of any other template: p50, p90. */
    readonly otherTemplateScore: { readonly p50: number; readonly p90: number };
    readonly novelQueries: number;
    /** Nearest-neighbour score of goals from templates never stored: p50, p90. */
    readonly novelScore: { readonly p50: number; readonly p90: number };
  };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function sortedAscending(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

interface NaiveEntry {
  readonly id: string;
  readonly vector: number[];
}

/** The baseline: every stored vector as number[], scored one by one, fully sorted, cut to k. */
function naiveSearch(entries: readonly NaiveEntry[], query: readonly number[], k: number): { id: string; score: number }[] {
  const scored = entries.map((entry) => {
    const vector = entry.vector;
    let score = 0;
    for (let i = 0; i < vector.length; i++) score += vector[i]! * query[i]!;
    return { id: entry.id, score };
  });
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, k);
}

/**
 * Latency of `count` queries one after another, and what each returned. First a full GC (growing
 * the indexes left large ArrayBuffers behind), then at least WARMUP_MS of queries, since V8
 * keeps sweeping concurrently for a while after a GC and that shows in the first queries.
 */
function timeQueries<T>(queries: readonly Float32Array[], count: number, search: (query: Float32Array) => T): { latency: LatencySummary; results: T[] } {
  gc();
  const warmUntil = Date.now() + WARMUP_MS;
  for (let i = 0; i < WARMUP_QUERIES || Date.now() < warmUntil; i++) search(queries[i % queries.length]!);
  const samples: number[] = [];
  const results: T[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    results.push(search(queries[i % queries.length]!));
    samples.push(elapsedMs(start));
  }
  return { latency: summarize(samples), results };
}

/** Whether two top-k lists have the same scores, up to float32 rounding (ids may swap between near-equal scores). */
function sameTopK(found: readonly { score: number }[], expected: readonly { score: number }[]): boolean {
  return found.length === expected.length && found.every((neighbour, i) => Math.abs(neighbour.score - expected[i]!.score) <= SCORE_SLACK);
}

/** A fresh index of every stored goal, as loading memory at start-up builds it: time and memory. */
function measureBuild(dimensions: number, ids: readonly string[], vectors: readonly Float32Array[]) {
  const heapBefore = heapUsed();
  const start = process.hrtime.bigint();
  const index = new VectorIndex({ dimensions });
  for (let i = 0; i < vectors.length; i++) index.add(ids[i]!, vectors[i]!);
  const ms = elapsedMs(start);
  return { vectors: vectors.length, ms, reservedBytes: index.reservedBytes, capacity: index.capacity, heapBytes: heapUsed() - heapBefore };
}

const log = (message: string) => console.error(`bench: memory search: ${message}`);

/**
 * What memory's goal search costs and how good it is: LocalHashEmbedder throughput, VectorIndex
 * build time and memory, k=5 query latency at 1k / 10k / 100k stored goals against the scalar
 * kernel and a naive baseline, and whether nearest neighbours share the query's template.
 */
export function runMemorySearch(): MemorySearchResult {
  const largest = MEMORY_SEARCH_SIZES[MEMORY_SEARCH_SIZES.length - 1]!;
  const embedder = new LocalHashEmbedder();
  const stored = generateGoals(STORED_TEMPLATES, largest, 1);
  const ids = stored.map((_, i) => `g${i}`);
  // A map lookup, as a caller filtering by run status (succeeded only) would do.
  const templates = new Map(stored.map((goal, i) => [ids[i]!, goal.template]));
  const templateOf = (id: string) => templates.get(id)!;

  // Embedding throughput (the warm-up embeds texts that are embedded again below).
  for (let i = 0; i < 2_000; i++) embedder.embedText(stored[i]!.text);
  const start = process.hrtime.bigint();
  const vectors = stored.map((goal) => embedder.embedText(goal.text));
  const embedMs = elapsedMs(start);
  const nonZero = vectors.reduce((sum, vector) => sum + vector.reduce((count, value) => count + (value !== 0 ? 1 : 0), 0), 0) / vectors.length;
  log(`embedded ${largest} goals in ${embedMs.toFixed(0)} ms`);

  const queryGoals = generateGoals(STORED_TEMPLATES, QUALITY_QUERIES, 2);
  const queries = queryGoals.map((goal) => embedder.embedText(goal.text));
  const novelGoals = generateGoals(NOVEL_TEMPLATES, NOVEL_QUERIES, 3);
  const novel = novelGoals.map((goal) => embedder.embedText(goal.text));

  const build = measureBuild(embedder.dimensions, ids, vectors);
  log(`built an index of ${largest} in ${build.ms.toFixed(0)} ms`);

  // Latency at each size. The indexes grow together; the naive baseline is built per size and
  // dropped before anything else is timed, since its 300 MB of number[] slow every later GC.
  const wasm = new VectorIndex({ dimensions: embedder.dimensions, kernel: 'wasm-simd' });
  const scalar = new VectorIndex({ dimensions: embedder.dimensions, kernel: 'scalar' });
  const latencies: SearchLatency[] = [];
  let naiveHeapBytes = 0;
  for (const size of MEMORY_SEARCH_SIZES) {
    for (let i = wasm.size; i < size; i++) {
      wasm.add(ids[i]!, vectors[i]!);
      scalar.add(ids[i]!, vectors[i]!);
    }
    const search = (index: VectorIndex) => (query: Float32Array) => index.search(query, MEMORY_SEARCH_K);
    const fast = timeQueries(queries, QUERIES, search(wasm));
    const plain = timeQueries(queries, baselineQueries(size), search(scalar));

    const naiveHeapBefore = heapUsed();
    const naive: NaiveEntry[] = vectors.slice(0, size).map((vector, i) => ({ id: ids[i]!, vector: Array.from(vector) }));
    naiveHeapBytes = heapUsed() - naiveHeapBefore;
    const baseline = timeQueries(queries, baselineQueries(size), (query) => naiveSearch(naive, Array.from(query), MEMORY_SEARCH_K));
    naive.length = 0;

    const agreeing = baseline.results.filter((expected, q) => sameTopK(fast.results[q]!, expected)).length;
    latencies.push(
      { implementation: 'VectorIndex (wasm-simd)', stored: size, queries: QUERIES, latency: fast.latency, agreement: agreeing / baseline.results.length },
      { implementation: 'VectorIndex (scalar JS)', stored: size, queries: plain.results.length, latency: plain.latency },
      { implementation: 'naive (number[] + full sort)', stored: size, queries: baseline.results.length, latency: baseline.latency },
    );
    log(`queried ${size} stored goals`);
  }
  latencies.push({
    implementation: 'VectorIndex (wasm-simd), filter rejecting half',
    stored: largest,
    queries: QUERIES,
    latency: timeQueries(queries, QUERIES, (query) => wasm.search(query, MEMORY_SEARCH_K, (id) => templateOf(id) % 2 === 0)).latency,
  });

  let rescored = 0;
  for (const query of queries.slice(0, QUERIES)) {
    wasm.search(query, MEMORY_SEARCH_K);
    rescored += wasm.lastSearchRescored;
  }

  // Quality, on the index of every stored goal.
  let sameTop1 = 0;
  const sameScores: number[] = [];
  const otherScores: number[] = [];
  queries.forEach((query, q) => {
    const template = queryGoals[q]!.template;
    const [nearest] = wasm.search(query, 1);
    if (nearest !== undefined && templateOf(nearest.id) === template) sameTop1 += 1;
    sameScores.push(wasm.search(query, 1, (id) => templateOf(id) === template)[0]?.score ?? Number.NaN);
    otherScores.push(wasm.search(query, 1, (id) => templateOf(id) !== template)[0]?.score ?? Number.NaN);
  });
  const novelScores = novel.map((query) => wasm.search(query, 1)[0]?.score ?? Number.NaN);
  const same = sortedAscending(sameScores);
  const other = sortedAscending(otherScores);
  const novelSorted = sortedAscending(novelScores);

  return {
    model: embedder.model,
    dimensions: embedder.dimensions,
    embedding: { texts: largest, ms: embedMs, perSecond: (largest * 1_000) / embedMs, meanNonZero: nonZero },
    build: { ...build, naiveHeapBytes },
    rescoredPerQuery: rescored / QUERIES,
    latencies,
    quality: {
      queries: sameScores.length,
      top1SameTemplate: sameTop1 / sameScores.length,
      sameTemplateScore: { p10: percentile(same, 0.1), p50: percentile(same, 0.5) },
      otherTemplateScore: { p50: percentile(other, 0.5), p90: percentile(other, 0.9) },
      novelQueries: novel.length,
      novelScore: { p50: percentile(novelSorted, 0.5), p90: percentile(novelSorted, 0.9) },
    },
  };
}
