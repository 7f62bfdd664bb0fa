import { fmt, markdownTable, ratio } from '../report/markdown-table';
import type { Outcome } from '../report/results';
import { MEMORY_SEARCH_K, MEMORY_SEARCH_P99_TARGET_MS, MemorySearchResult } from './memory-search.bench';

const ms = (value: number) => `${fmt(value, value < 1 ? 3 : 2)} ms`;
const mb = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MB`;
const pct = (fraction: number) => `${fmt(100 * fraction, 1)}%`;
const score = (value: number) => fmt(value, 3);

export function memorySearchTable(outcome: Outcome<MemorySearchResult>): string {
  const title = '## Memory: nearest-neighbour search over past goals';
  if (outcome === undefined) return `${title}\n\nnot run`;
  if (!outcome.ok) return `${title}\n\nFAILED: ${outcome.error}`;
  const result = outcome.value;
  const naiveAt = (stored: number) => result.latencies.find((row) => row.stored === stored && row.implementation.startsWith('naive'));
  const latencyRows = result.latencies.map((row) => [
    row.implementation,
    fmt(row.stored),
    fmt(row.queries),
    ms(row.latency.p50),
    ms(row.latency.p99),
    ms(row.latency.max),
    row.implementation.startsWith('naive') ? '' : ratio(naiveAt(row.stored)?.latency.p50, row.latency.p50),
    row.agreement === undefined ? '' : pct(row.agreement),
  ]);
  const largest = result.build.vectors;
  const target = result.latencies.find((row) => row.stored === largest && row.implementation === 'VectorIndex (wasm-simd)');
  const met = target !== undefined && target.latency.p99 < MEMORY_SEARCH_P99_TARGET_MS;
  const { quality, build, embedding } = result;
  return [
    title,
    '',
    `Goals from ${fmt(largest)} generated texts (30 templates with seeded parameters), embedded by \`${result.model}\` (${result.dimensions} dimensions); k = ${MEMORY_SEARCH_K}; queries one at a time, after a warm-up.`,
    '',
    markdownTable(['search', 'stored goals', 'queries', 'p50', 'p99', 'max', 'naive / this (p50)', 'same top-k as naive'], latencyRows),
    '',
    markdownTable(
      ['measure', 'value'],
      [
        ['LocalHashEmbedder throughput', `${fmt(embedding.perSecond)} texts/s (${fmt(embedding.texts)} goals in ${fmt(embedding.ms / 1000, 2)} s; ${fmt(embedding.meanNonZero, 0)} non-zero of ${result.dimensions} per vector)`],
        ['index build', `${fmt(build.ms, 0)} ms for ${fmt(build.vectors)} vectors (${fmt((build.vectors * 1000) / build.ms)} vectors/s)`],
        ['index memory', `${mb(build.reservedBytes)} reserved for ${fmt(build.capacity)} vectors (capacity doubles): ${fmt(build.reservedBytes / build.capacity)} B per vector (${4 * result.dimensions} B float32 + ${16 * Math.ceil(result.dimensions / 16)} B int8 + scale, bound and scratch), ${fmt(build.reservedBytes / build.vectors)} B per stored vector at ${fmt(build.vectors)}; + ${mb(build.heapBytes)} of heap for ids (${fmt(build.heapBytes / build.vectors)} B per vector)`],
        ['float32 rescoring per query', `${fmt(result.rescoredPerQuery, 0)} of ${fmt(build.vectors)} vectors (the others' int8 upper bound is below the k-th exact score)`],
        ['naive baseline memory', `${mb(build.naiveHeapBytes)} of heap (${fmt(build.naiveHeapBytes / build.vectors)} B per vector)`],
        ['top-1 shares the query\'s template', `**${pct(quality.top1SameTemplate)}** of ${fmt(quality.queries)} queries (stored templates, fresh parameters)`],
        ['best same-template score', `p10 ${score(quality.sameTemplateScore.p10)}, p50 ${score(quality.sameTemplateScore.p50)}`],
        ['best other-template score (same queries)', `p50 ${score(quality.otherTemplateScore.p50)}, p90 ${score(quality.otherTemplateScore.p90)}`],
        ['nearest score of novel goals (templates never stored)', `p50 ${score(quality.novelScore.p50)}, p90 ${score(quality.novelScore.p90)} (${fmt(quality.novelQueries)} queries)`],
      ],
    ),
    '',
    `**Target: p99 of a k=${MEMORY_SEARCH_K} query at ${fmt(largest)} stored goals < ${MEMORY_SEARCH_P99_TARGET_MS} ms: ${target ? `${ms(target.latency.p99)}, ${met ? 'met' : '**NOT MET**'}` : 'not measured'}.**`,
    'Exact search: every stored vector is scored, so latency grows linearly with the goals stored (compare the rows at 1k, 10k, 100k).',
  ].join('\n');
}
