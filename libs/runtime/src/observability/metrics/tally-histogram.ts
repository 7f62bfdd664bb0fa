import { Histogram, Registry } from 'prom-client';
import { HistogramTally } from './histogram-tally';
import { SeriesCells } from './series-cells';

/** One exported line, in the shape prom-client's registry formats (series labels shared by its lines). */
interface ExportedLine {
  readonly metricName: string;
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly sharedLabels: Readonly<Record<string, string>>;
}

export interface TallyHistogramOptions<Cell> {
  readonly registry: Registry;
  readonly name: string;
  readonly help: string;
  /** One name per label value a series is keyed by in `series`. */
  readonly labelNames: readonly [string] | readonly [string, string];
  readonly buckets: readonly number[];
  readonly series: SeriesCells<Cell>;
  /** The histogram's tally inside a series' cell. */
  readonly tally: (cell: Cell) => HistogramTally;
}

/**
 * A Prometheus histogram whose series are tallies the hot path keeps itself (HistogramTally):
 * prom-client's `observe` hashes the labels and allocates on every call, this costs nothing
 * until a scrape reads it. It is a prom-client Histogram as far as the registry is concerned
 * (same text and JSON output); its own `observe` is never used, and a registry reset leaves
 * the tallies alone (as it does the totals of the counters read from them).
 */
export class TallyHistogram<Cell> extends Histogram<string> {
  private readonly source: TallyHistogramOptions<Cell>;

  constructor(options: TallyHistogramOptions<Cell>) {
    super({
      name: options.name,
      help: options.help,
      labelNames: options.labelNames,
      buckets: [...options.buckets],
      registers: [options.registry],
    });
    this.source = options;
  }

  /** What the registry reads for the text format (and `get` for JSON, through prom-client's Histogram). */
  async getForPromString(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: ExportedLine[] }> {
    const values: ExportedLine[] = [];
    const source = this.source;
    const bucketName = `${source.name}_bucket`;
    source.series.forEach((cell, first, second) => {
      const tally = source.tally(cell);
      const sharedLabels: Record<string, string> = { [source.labelNames[0]]: first };
      if (source.labelNames[1] !== undefined) sharedLabels[source.labelNames[1]] = second;
      let cumulative = 0;
      tally.bounds.forEach((bound, index) => {
        cumulative += tally.counts[index]!;
        values.push({ metricName: bucketName, value: cumulative, labels: { le: bound }, sharedLabels });
      });
      values.push({ metricName: bucketName, value: tally.count, labels: { le: '+Inf' }, sharedLabels });
      values.push({ metricName: `${source.name}_sum`, value: tally.sum, labels: {}, sharedLabels });
      values.push({ metricName: `${source.name}_count`, value: tally.count, labels: {}, sharedLabels });
    });
    return { name: source.name, help: source.help, type: 'histogram', aggregator: 'sum', values };
  }
}
