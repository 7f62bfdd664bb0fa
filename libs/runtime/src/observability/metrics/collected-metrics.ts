import { Counter, Gauge, Registry } from 'prom-client';

/** Hands one series' labels and value to the metric being collected. */
export type EmitSeries = (labels: Readonly<Record<string, string>>, value: number) => void;

export interface CollectedMetricOptions {
  readonly registry: Registry;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Emits every series' current value; called on each scrape. */
  readonly collect: (emit: EmitSeries) => void | Promise<void>;
}

/**
 * A counter read on scrape from totals kept elsewhere (plain numbers the hot path bumps):
 * prom-client's `inc` hashes its labels on every call, this only when scraped.
 */
export function collectedCounter(options: CollectedMetricOptions): Counter<string> {
  return new Counter({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    registers: [options.registry],
    async collect() {
      this.reset();
      await options.collect((labels, value) => this.inc(labels, value));
    },
  });
}

/** A gauge whose series are read on scrape; a series not emitted on a scrape is gone from it. */
export function collectedGauge(options: CollectedMetricOptions): Gauge<string> {
  return new Gauge({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    registers: [options.registry],
    async collect() {
      this.reset();
      await options.collect((labels, value) => this.set(labels, value));
    },
  });
}
