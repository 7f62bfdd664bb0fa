import { backoffDelayMs } from './backoff';

const constant = (value: number) => (): number => value;

describe('backoffDelayMs', () => {
  it.each<[number, number, number, number, number]>([
    // attempt, base, max, lowest, highest
    [1, 100, 10_000, 50, 100],
    [2, 100, 10_000, 100, 200],
    [3, 100, 10_000, 200, 400],
    [5, 100, 10_000, 800, 1_600],
    [8, 100, 10_000, 5_000, 10_000], // 12,800 capped at 10,000
    [30, 100, 10_000, 5_000, 10_000],
    [2_000, 100, 10_000, 5_000, 10_000], // 2 ** 1999 is Infinity: still capped
    [0, 100, 10_000, 50, 100], // attempt below 1 counts as the first
    [-3, 100, 10_000, 50, 100],
  ])('attempt %i, base %i, max %i: between %i and %i', (attempt, base, max, lowest, highest) => {
    expect(backoffDelayMs(attempt, base, max, constant(0))).toBe(lowest);
    expect(backoffDelayMs(attempt, base, max, constant(0.999_999_999))).toBe(highest);
    expect(backoffDelayMs(attempt, base, max, constant(0.5))).toBe(Math.round(lowest + (highest - lowest) / 2));
  });

  it('stays within [exponential / 2, exponential] for any random value', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const exponential = Math.min(5_000, 40 * 2 ** (attempt - 1));
      for (let step = 0; step <= 20; step++) {
        const delay = backoffDelayMs(attempt, 40, 5_000, constant(step / 20));
        expect(delay).toBeGreaterThanOrEqual(Math.floor(exponential / 2));
        expect(delay).toBeLessThanOrEqual(exponential);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('spreads delays with the random source it is given', () => {
    const values = [0.1, 0.9];
    let call = 0;
    const random = (): number => values[call++ % values.length]!;
    expect([backoffDelayMs(3, 100, 10_000, random), backoffDelayMs(3, 100, 10_000, random)]).toEqual([220, 380]);
  });

  it('uses Math.random by default', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(0);
    try {
      expect(backoffDelayMs(1, 1_000, 10_000)).toBe(500);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
