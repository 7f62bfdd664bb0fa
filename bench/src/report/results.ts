import type { BareEchoRun } from '../embedded/bare-echo.bench';
import type { EmbeddedRun } from '../embedded/agentos-embedded.bench';
import type { AgentOsKafkaResult } from '../kafka/agentos-kafka.bench';
import type { RawEchoResult } from '../kafka/raw-echo.bench';
import type { DecodeCost } from '../validation/decode-cost.bench';

/** A scenario's figures, or why it produced none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string } | undefined;

export interface BenchResults {
  kafka?: Outcome<AgentOsKafkaResult>;
  raw?: Outcome<RawEchoResult>;
  embedded?: Outcome<EmbeddedRun[]>;
  bare?: Outcome<BareEchoRun[]>;
  validation?: Outcome<DecodeCost[]>;
}

export function valueOf<T>(outcome: Outcome<T>): T | undefined {
  return outcome?.ok ? outcome.value : undefined;
}

/** Runs a scenario; a failure is kept as its message so the other scenarios still run and report. */
export async function attempt<T>(name: string, work: () => Promise<T>): Promise<Outcome<T>> {
  const started = Date.now();
  console.error(`bench: ${name}...`);
  try {
    const value = await work();
    console.error(`bench: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { ok: true, value };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`bench: ${name} FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s: ${message}`);
    return { ok: false, error: message.split('\n')[0]! };
  }
}
