import { sampleBeta } from './beta-sample';

/** What is known about one option (a worker type, a recovery strategy…) from its past tries. */
export interface ArmEvidence {
  readonly key: string;
  readonly successes: number;
  readonly failures: number;
  /** mean cost of one try (>0), or undefined when never tried */
  readonly meanCost?: number;
  /** prior pseudo-counts added to successes/failures; default 1 and 1 */
  readonly priorSuccesses?: number;
  readonly priorFailures?: number;
}

/** One arm as seen by a Thompson choice. */
export interface ThompsonArm {
  readonly key: string;
  /** posterior mean success rate */
  readonly meanRate: number;
  /** the success rate drawn from the posterior for this choice */
  readonly sampledRate: number;
  /** cost / sampledRate: expected cost per success when failed tries are repeated */
  readonly expectedCost: number;
  /** successes + failures */
  readonly tries: number;
}

/** The arm a Thompson draw picked, and what every arm drew. */
export interface ThompsonChoice {
  readonly key: string;
  /** the sampled success probability of the chosen arm */
  readonly sampledRate: number;
  /** expected cost per success for the chosen arm: cost / sampledRate */
  readonly expectedCost: number;
  /** true when the chosen arm is not the one the posterior means alone would pick */
  readonly explored: boolean;
  /** per-arm: key, posterior mean rate, sampled rate, expected cost, in input order */
  readonly arms: readonly ThompsonArm[];
}

/** Options of {@link chooseByThompson}. */
export interface ThompsonOptions {
  /** cost of a try for arms without `meanCost`; defaults to the mean of the known costs, else 1 */
  readonly defaultCost?: number;
}

/** Floor on a success rate, so that a rate of 0 gives a huge but finite cost per success. */
const MIN_RATE = 1e-6;

/**
 * Thompson sampling over arms that minimises expected cost per success: each arm draws
 * p ~ Beta(successes + priorSuccesses, failures + priorFailures) and scores cost / max(p, 1e-6);
 * the lowest score wins, ties going to the first arm in input order. An arm without `meanCost`
 * costs `options.defaultCost`, else the mean of the other arms' known costs, else 1.
 * Consumes two Beta draws' worth of `random` per arm, in input order, so a seeded `random`
 * gives the same choice. Throws RangeError on an empty list, a negative or non-finite count,
 * a non-positive prior or a non-positive cost.
 */
export function chooseByThompson(arms: readonly ArmEvidence[], random: () => number, options: ThompsonOptions = {}): ThompsonChoice {
  if (arms.length === 0) throw new RangeError('chooseByThompson: no arms to choose from');
  arms.forEach(assertEvidence);
  if (options.defaultCost !== undefined) assertCost('defaultCost', options.defaultCost);
  const fallbackCost = options.defaultCost ?? meanKnownCost(arms) ?? 1;

  const scored = arms.map((arm): ThompsonArm & { readonly meanScore: number } => {
    const hits = arm.successes + (arm.priorSuccesses ?? 1);
    const misses = arm.failures + (arm.priorFailures ?? 1);
    const cost = arm.meanCost ?? fallbackCost;
    const meanRate = hits / (hits + misses);
    const sampledRate = sampleBeta(hits, misses, random);
    return {
      key: arm.key,
      meanRate,
      sampledRate,
      expectedCost: cost / Math.max(sampledRate, MIN_RATE),
      tries: arm.successes + arm.failures,
      meanScore: cost / Math.max(meanRate, MIN_RATE),
    };
  });

  const chosen = scored[indexOfMin(scored.map((arm) => arm.expectedCost))];
  const greedy = scored[indexOfMin(scored.map((arm) => arm.meanScore))];
  return {
    key: chosen.key,
    sampledRate: chosen.sampledRate,
    expectedCost: chosen.expectedCost,
    explored: chosen !== greedy,
    arms: scored.map(({ key, meanRate, sampledRate, expectedCost, tries }) => ({ key, meanRate, sampledRate, expectedCost, tries })),
  };
}

/** First index of the smallest value. */
function indexOfMin(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i += 1) if (values[i] < values[best]) best = i;
  return best;
}

function meanKnownCost(arms: readonly ArmEvidence[]): number | undefined {
  const known = arms.flatMap((arm) => (arm.meanCost === undefined ? [] : [arm.meanCost]));
  return known.length === 0 ? undefined : known.reduce((sum, cost) => sum + cost, 0) / known.length;
}

function assertEvidence(arm: ArmEvidence): void {
  for (const [name, count] of [
    ['successes', arm.successes],
    ['failures', arm.failures],
  ] as const) {
    if (!(count >= 0) || !Number.isFinite(count)) throw new RangeError(`chooseByThompson: ${name} of arm '${arm.key}' must be a finite number >= 0, got ${count}`);
  }
  for (const [name, prior] of [
    ['priorSuccesses', arm.priorSuccesses],
    ['priorFailures', arm.priorFailures],
  ] as const) {
    if (prior !== undefined && (!(prior > 0) || !Number.isFinite(prior))) {
      throw new RangeError(`chooseByThompson: ${name} of arm '${arm.key}' must be a finite number > 0, got ${prior}`);
    }
  }
  if (arm.meanCost !== undefined) assertCost(`meanCost of arm '${arm.key}'`, arm.meanCost);
}

function assertCost(name: string, cost: number): void {
  if (!(cost > 0) || !Number.isFinite(cost)) throw new RangeError(`chooseByThompson: ${name} must be a finite number > 0, got ${cost}`);
}
