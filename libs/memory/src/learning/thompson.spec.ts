import { seededRandom } from '@agentos/runtime';
import { ArmEvidence, chooseByThompson, ThompsonOptions } from './thompson';

const ROUNDS = 1_000;

/** How often each key wins over `ROUNDS` choices from one seeded source, and how often a win was exploration. */
function tally(arms: readonly ArmEvidence[], seed = 1, options?: ThompsonOptions): { wins: Map<string, number>; explored: number } {
  const random = seededRandom(seed);
  const wins = new Map<string, number>();
  let explored = 0;
  for (let i = 0; i < ROUNDS; i += 1) {
    const choice = chooseByThompson(arms, random, options);
    wins.set(choice.key, (wins.get(choice.key) ?? 0) + 1);
    if (choice.explored) explored += 1;
  }
  return { wins, explored };
}

describe('chooseByThompson', () => {
  it('almost always picks the clearly better arm', () => {
    const { wins, explored } = tally([
      { key: 'flaky', successes: 40, failures: 60, meanCost: 1 },
      { key: 'solid', successes: 90, failures: 10, meanCost: 1 },
    ]);
    expect(wins.get('solid')).toBeGreaterThan(0.99 * ROUNDS);
    expect(explored).toBeLessThan(0.01 * ROUNDS);
  });

  it('splits about evenly between arms with equal evidence', () => {
    const { wins } = tally([
      { key: 'a', successes: 20, failures: 20, meanCost: 2 },
      { key: 'b', successes: 20, failures: 20, meanCost: 2 },
    ]);
    expect(wins.get('a')).toBeGreaterThan(0.45 * ROUNDS);
    expect(wins.get('b')).toBeGreaterThan(0.45 * ROUNDS);
  });

  it('prefers the cheaper of two arms with the same success rate', () => {
    const { wins } = tally([
      { key: 'dear', successes: 80, failures: 20, meanCost: 3 },
      { key: 'cheap', successes: 80, failures: 20, meanCost: 1 },
    ]);
    expect(wins.get('cheap')).toBe(ROUNDS);
  });

  it('trades rate for cost: a reliable dear arm beats a cheap arm that mostly fails', () => {
    const { wins } = tally([
      { key: 'cheap', successes: 10, failures: 90, meanCost: 1 },
      { key: 'reliable', successes: 95, failures: 5, meanCost: 3 },
    ]);
    expect(wins.get('reliable')).toBeGreaterThan(0.99 * ROUNDS);
  });

  it('explores an untried arm sometimes when the known arm is mediocre', () => {
    const { wins, explored } = tally([
      { key: 'known', successes: 5, failures: 5, meanCost: 1 },
      { key: 'untried', successes: 0, failures: 0 },
    ]);
    const untried = wins.get('untried') ?? 0;
    expect(untried).toBeGreaterThan(0.2 * ROUNDS);
    expect(untried).toBeLessThan(0.8 * ROUNDS);
    expect(explored).toBeGreaterThan(0.2 * ROUNDS);
  });

  it('rarely explores an untried arm when the known arm is excellent', () => {
    const { wins } = tally([
      { key: 'known', successes: 200, failures: 2, meanCost: 1 },
      { key: 'untried', successes: 0, failures: 0 },
    ]);
    expect(wins.get('untried') ?? 0).toBeLessThan(0.05 * ROUNDS);
    expect(wins.get('untried') ?? 0).toBeGreaterThan(0);
  });

  it('prices an untried arm at defaultCost, else at the mean known cost, else 1', () => {
    const arms: ArmEvidence[] = [
      { key: 'a', successes: 1, failures: 0, meanCost: 2 },
      { key: 'b', successes: 1, failures: 0, meanCost: 4 },
      { key: 'new', successes: 0, failures: 0 },
    ];
    const costOf = (choiceArms: readonly ArmEvidence[], options?: ThompsonOptions): number => {
      const arm = chooseByThompson(choiceArms, seededRandom(3), options).arms.find((candidate) => candidate.key === 'new')!;
      return arm.expectedCost * arm.sampledRate;
    };
    expect(costOf(arms, { defaultCost: 10 })).toBeCloseTo(10, 9);
    expect(costOf(arms)).toBeCloseTo(3, 9);
    expect(costOf([{ key: 'new', successes: 0, failures: 0 }])).toBeCloseTo(1, 9);
  });

  it('reports every arm in input order with its posterior mean, draw, cost per success and tries', () => {
    const choice = chooseByThompson(
      [
        { key: 'a', successes: 3, failures: 1, meanCost: 2 },
        { key: 'b', successes: 0, failures: 4, meanCost: 1, priorSuccesses: 2, priorFailures: 2 },
      ],
      seededRandom(11),
    );
    expect(choice.arms.map((arm) => [arm.key, arm.tries])).toEqual([
      ['a', 4],
      ['b', 4],
    ]);
    expect(choice.arms[0].meanRate).toBeCloseTo(4 / 6, 12);
    expect(choice.arms[1].meanRate).toBeCloseTo(2 / 8, 12);
    for (const arm of choice.arms) expect(arm.expectedCost).toBeCloseTo((arm.key === 'a' ? 2 : 1) / arm.sampledRate, 9);
    const chosen = choice.arms.find((arm) => arm.key === choice.key)!;
    expect(choice.sampledRate).toBe(chosen.sampledRate);
    expect(choice.expectedCost).toBe(chosen.expectedCost);
    expect(Math.min(...choice.arms.map((arm) => arm.expectedCost))).toBe(choice.expectedCost);
  });

  it('breaks a tie in favour of the first arm', () => {
    const arm: ArmEvidence = { key: 'same', successes: 5, failures: 5, meanCost: 1 };
    const random = (): number => 0.5; // every arm draws the same rate
    const choice = chooseByThompson([{ ...arm, key: 'first' }, { ...arm, key: 'second' }], random);
    expect(choice.key).toBe('first');
    expect(choice.explored).toBe(false);
  });

  it('is deterministic for a seed', () => {
    const arms: ArmEvidence[] = [
      { key: 'a', successes: 3, failures: 3, meanCost: 1 },
      { key: 'b', successes: 2, failures: 1, meanCost: 1.5 },
      { key: 'c', successes: 0, failures: 0 },
    ];
    const run = (seed: number): string[] => {
      const random = seededRandom(seed);
      return Array.from({ length: 50 }, () => chooseByThompson(arms, random).key);
    };
    expect(run(5)).toEqual(run(5));
    expect(new Set(run(5)).size).toBeGreaterThan(1);
  });

  it('throws on an empty list and on invalid evidence', () => {
    const random = seededRandom(1);
    expect(() => chooseByThompson([], random)).toThrow(RangeError);
    expect(() => chooseByThompson([{ key: 'a', successes: -1, failures: 0 }], random)).toThrow(RangeError);
    expect(() => chooseByThompson([{ key: 'a', successes: 0, failures: Number.NaN }], random)).toThrow(RangeError);
    expect(() => chooseByThompson([{ key: 'a', successes: 0, failures: 0, priorFailures: 0 }], random)).toThrow(RangeError);
    expect(() => chooseByThompson([{ key: 'a', successes: 0, failures: 0, meanCost: 0 }], random)).toThrow(RangeError);
    expect(() => chooseByThompson([{ key: 'a', successes: 0, failures: 0 }], random, { defaultCost: -1 })).toThrow(RangeError);
  });
});
