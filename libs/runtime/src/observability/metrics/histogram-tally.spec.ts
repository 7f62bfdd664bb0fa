import { HistogramTally } from './histogram-tally';

describe('HistogramTally', () => {
  it('counts each value in the first bucket whose bound it does not exceed, with sum and count', () => {
    const tally = new HistogramTally([0.1, 1, 10]);
    for (const value of [0.05, 0.1, 0.5, 1, 9.99, 10, 11, 500]) tally.observe(value);
    expect([...tally.counts]).toEqual([2, 2, 2]);
    expect(tally.count).toBe(8);
    expect(tally.sum).toBeCloseTo(532.64, 10);
  });

  it('ignores values that are not finite numbers', () => {
    const tally = new HistogramTally([1]);
    tally.observe(Number.NaN);
    tally.observe(Number.POSITIVE_INFINITY);
    expect(tally.count).toBe(0);
    expect(tally.sum).toBe(0);
  });
});
