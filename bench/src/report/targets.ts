import { fmt, markdownTable } from './markdown-table';
import { BenchResults, valueOf } from './results';

/** The linearity ratio at or above which throughput counts as linear in the goal's size. */
export const LINEARITY_THRESHOLD = 0.8;

interface Verdict {
  readonly target: string;
  readonly measured: string;
  /** undefined: not measured in this run. */
  readonly met: boolean | undefined;
}

function verdicts(results: BenchResults): Verdict[] {
  const kafkaResult = valueOf(results.kafka);
  const kafka = kafkaResult?.median;
  const raw = valueOf(results.raw)?.median;
  const embedded = valueOf(results.embedded);
  const list: Verdict[] = [];
  const kafkaMissing = results.kafka?.ok === false ? `failed: ${results.kafka.error}` : 'not run';
  list.push(
    kafka
      ? {
          target: 'Kafka: every goal succeeded, each task dispatched once (every round)',
          measured: `median round: ${kafka.goalsSucceeded}/${kafka.goals} goals, ${fmt(kafka.dispatches)} dispatches for ${fmt(kafka.tasks)} tasks`,
          met: kafkaResult!.allComplete,
        }
      : { target: 'Kafka: every goal succeeded', measured: kafkaMissing, met: results.kafka ? false : undefined },
    { target: 'Kafka: >= 11,000 tasks/s', measured: kafka ? `${fmt(kafka.perSecond)} tasks/s` : kafkaMissing, met: kafka ? kafka.perSecond >= 11_000 : results.kafka ? false : undefined },
    {
      target: 'Kafka: >= 50% of raw echo throughput',
      measured: kafka && raw ? `${fmt((100 * kafka.perSecond) / raw.perSecond, 1)}% (${fmt(kafka.perSecond)} / ${fmt(raw.perSecond)})` : 'needs both Kafka runs',
      met: kafka && raw ? kafka.perSecond >= 0.5 * raw.perSecond : results.kafka?.ok === false || results.raw?.ok === false ? false : undefined,
    },
    {
      target: 'Kafka: p50 dispatch-to-result < 10 ms (at the throughput run\'s load)',
      measured: kafka ? `${fmt(kafka.latency.p50, 2)} ms with ${fmt(kafka.inFlight)} in flight (light load, ${kafkaResult!.lightLoad.inFlight} in flight: ${fmt(kafkaResult!.lightLoad.latency.p50, 2)} ms)` : kafkaMissing,
      met: kafka ? kafka.latency.p50 < 10 : results.kafka ? false : undefined,
    },
    {
      target: 'Kafka: p99 dispatch-to-result < 50 ms (at the throughput run\'s load)',
      measured: kafka ? `${fmt(kafka.latency.p99, 2)} ms with ${fmt(kafka.inFlight)} in flight (light load: ${fmt(kafkaResult!.lightLoad.latency.p99, 2)} ms)` : kafkaMissing,
      met: kafka ? kafka.latency.p99 < 50 : results.kafka ? false : undefined,
    },
  );
  const embeddedMissing = results.embedded?.ok === false ? `failed: ${results.embedded.error}` : 'not run';
  if (embedded && embedded.length > 0) {
    const slowest = embedded.reduce((min, run) => (run.perSecond < min.perSecond ? run : min));
    const first = embedded[0]!;
    const last = embedded[embedded.length - 1]!;
    const linearity = last.perSecond / first.perSecond;
    list.push(
      {
        target: 'Embedded: >= 50,000 tasks/s (at every size)',
        measured: `slowest ${fmt(slowest.perSecond)} tasks/s (at ${fmt(slowest.tasks)} tasks)`,
        met: embedded.every((run) => run.status === 'goal.succeeded') && slowest.perSecond >= 50_000,
      },
      {
        target: `Embedded: linear to 100,000 tasks (ratio >= ${LINEARITY_THRESHOLD})`,
        measured: last.tasks >= 100_000 && last !== first ? `${linearity.toFixed(2)}x (${fmt(last.tasks)} vs ${fmt(first.tasks)} tasks)` : `largest size run: ${fmt(last.tasks)}`,
        met: last.tasks >= 100_000 && last !== first ? linearity >= LINEARITY_THRESHOLD : undefined,
      },
    );
  } else {
    list.push(
      { target: 'Embedded: >= 50,000 tasks/s', measured: embeddedMissing, met: results.embedded ? false : undefined },
      { target: 'Embedded: linear to 100,000 tasks', measured: embeddedMissing, met: results.embedded ? false : undefined },
    );
  }
  return list;
}

export function targetsTable(results: BenchResults): { table: string; allMet: boolean } {
  const list = verdicts(results);
  const rows = list.map((verdict) => [verdict.target, verdict.measured, verdict.met === undefined ? 'not measured' : verdict.met ? 'met' : '**NOT MET**']);
  return {
    table: ['## Summary against the targets', '', markdownTable(['target', 'measured', 'verdict'], rows)].join('\n'),
    allMet: list.every((verdict) => verdict.met !== false),
  };
}
