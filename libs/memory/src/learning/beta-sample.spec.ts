import { seededRandom } from '@agentos/runtime';
import { sampleBeta } from './beta-sample';

const DRAWS = 20_000;

function draws(alpha: number, beta: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: DRAWS }, () => sampleBeta(alpha, beta, random));
}

function moments(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('sampleBeta', () => {
  // Tolerances: about 4 standard errors of the mean and 6% of the variance for 20k draws.
  it.each([
    [0.5, 0.5],
    [1, 1],
    [2, 8],
    [50, 3],
    [0.2, 3],
    [5, 5],
  ])('Beta(%p, %p) has the right mean and variance', (alpha, beta) => {
    const total = alpha + beta;
    const expectedMean = alpha / total;
    const expectedVariance = (alpha * beta) / (total * total * (total + 1));
    for (const seed of [1, 2024]) {
      const { mean, variance } = moments(draws(alpha, beta, seed));
      expect(Math.abs(mean - expectedMean)).toBeLessThan(4 * Math.sqrt(expectedVariance / DRAWS));
      expect(Math.abs(variance / expectedVariance - 1)).toBeLessThan(0.06);
    }
  });

  it('always lies in [0, 1], even for tiny and huge shapes', () => {
    const random = seededRandom(7);
    for (const [alpha, beta] of [
      [0.01, 0.01],
      [0.001, 5],
      [1e4, 1e-3],
      [1e6, 1e6],
    ]) {
      for (let i = 0; i < 2_000; i += 1) {
        const value = sampleBeta(alpha, beta, random);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
  });

  it('repeats its sequence for the same seed and changes it for another', () => {
    const first = draws(2, 3, 42).slice(0, 50);
    expect(draws(2, 3, 42).slice(0, 50)).toEqual(first);
    expect(draws(2, 3, 43).slice(0, 50)).not.toEqual(first);
  });

  it.each([
    [0, 1],
    [1, 0],
    [-1, 2],
    [2, Number.NaN],
    [Number.POSITIVE_INFINITY, 1],
  ])('throws RangeError for Beta(%p, %p)', (alpha, beta) => {
    expect(() => sampleBeta(alpha, beta, seededRandom(1))).toThrow(RangeError);
  });
});
