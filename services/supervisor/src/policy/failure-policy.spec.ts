import { DEFAULT_RETRIABLE, TaskError, TaskErrorCode, TASK_ERROR_CODES } from '@agentos/contracts';
import { FailurePolicy } from './failure-policy';
import { DEFAULT_POLICY_TABLE, PolicyTable, policyTableFrom } from './policy-table';

const error = (code: TaskErrorCode, extra: Partial<TaskError> = {}): TaskError => ({
  code,
  message: `${code} happened`,
  retriable: DEFAULT_RETRIABLE[code],
  ...extra,
});

const policy = (random: () => number, retryBaseMs = 200, retryMaxMs = 10_000, table?: PolicyTable): FailurePolicy =>
  new FailurePolicy({ retryBaseMs, retryMaxMs, random, ...(table ? { table } : {}) });

const history = (attempt: number, maxAttempts: number, replans = 0, maxReplans = 2) => ({ attempt, maxAttempts, replans, maxReplans });
const strategyOf = (strategy: string) => TASK_ERROR_CODES.filter((code) => DEFAULT_POLICY_TABLE[code] === strategy);

describe('FailurePolicy', () => {
  describe('the default table', () => {
    it.each(strategyOf('fail'))('%s fails the goal at once', (code) => {
      const decision = policy(() => 0.5).decide(error(code), history(1, 5));
      expect(decision.action).toBe('fail_goal');
      expect(decision.reason).toContain(`${code} fails the goal`);
      expect(decision.reason).toContain(`${code} happened`);
    });

    it.each(strategyOf('replan'))('%s asks for a new plan while replans remain, then fails the goal', (code) => {
      expect(policy(() => 0.5).decide(error(code), history(1, 5, 1, 2))).toMatchObject({ action: 'replan', reason: expect.stringContaining('replan 2 of 2') });
      const spent = policy(() => 0.5).decide(error(code), history(1, 5, 2, 2));
      expect(spent.action).toBe('fail_goal');
      expect(spent.reason).toContain('all 2 replans are spent');
    });

    it('decides by the table, not by the worker’s retriable hint', () => {
      expect(policy(() => 0.5).decide(error('transient', { retriable: false }), history(1, 5)).action).toBe('retry');
    });
  });

  describe('an operator’s table', () => {
    it('overrides the defaults it names and keeps the rest', () => {
      const table = policyTableFrom('{"internal":"retry","logic_error":"fail"}');
      if (typeof table === 'string') throw new Error(table);
      expect(table).toEqual({ ...DEFAULT_POLICY_TABLE, internal: 'retry', logic_error: 'fail' });
      expect(policy(() => 0.5, 200, 10_000, table).decide(error('internal'), history(1, 3)).action).toBe('retry');
      expect(policy(() => 0.5, 200, 10_000, table).decide(error('logic_error'), history(1, 3)).action).toBe('fail_goal');
    });

    it.each([
      ['not JSON', '{internal:', 'is not JSON'],
      ['an array', '["retry"]', 'must be a JSON object'],
      ['an unknown code', '{"oops":"retry"}', 'unknown error code "oops"'],
      ['an unknown strategy', '{"timeout":"pray"}', 'timeout: "pray" is not one of retry, replan, fail'],
    ])('names the problem with %s', (_name, raw, problem) => {
      expect(policyTableFrom(raw)).toEqual(expect.stringContaining(problem));
    });

    it('is the default table when unset or blank', () => {
      expect(policyTableFrom(undefined)).toBe(DEFAULT_POLICY_TABLE);
      expect(policyTableFrom('  ')).toBe(DEFAULT_POLICY_TABLE);
    });
  });

  describe('retriable errors with attempts left are retried', () => {
    it.each(strategyOf('retry'))('%s', (code) => {
      const decision = policy(() => 0.5).decide(error(code), history(1, 3));
      expect(decision).toMatchObject({ action: 'retry' });
      expect(decision.reason).toContain('attempt 2 of 3');
    });

    it.each<[number, number, number]>([
      // attempt, lowest, highest (base 200, max 10,000)
      [1, 100, 200],
      [2, 200, 400],
      [4, 800, 1_600],
      [7, 5_000, 10_000], // 12,800 capped
      [9, 5_000, 10_000],
    ])('after attempt %i the delay lies in [%i, %i]', (attempt, lowest, highest) => {
      for (const random of [0, 0.25, 0.5, 0.75, 0.999_999]) {
        const decision = policy(() => random).decide(error('timeout'), history(attempt, 20));
        if (decision.action !== 'retry') throw new Error('expected a retry');
        expect(decision.delayMs).toBeGreaterThanOrEqual(lowest);
        expect(decision.delayMs).toBeLessThanOrEqual(highest);
      }
      const [low, high] = [0, 0.999_999].map((random) => policy(() => random).decide(error('timeout'), history(attempt, 20)));
      expect(low).toMatchObject({ delayMs: lowest });
      expect(high).toMatchObject({ delayMs: highest });
    });

    it.each<[string, number, number]>([
      ['retryAfterMs above the backoff wins', 5_000, 5_000],
      ['retryAfterMs below the backoff is a floor only', 10, 150],
      ['retryAfterMs above the cap is still honoured', 60_000, 60_000],
      ['retryAfterMs of zero changes nothing', 0, 150],
    ])('%s', (_name, retryAfterMs, expected) => {
      const decision = policy(() => 0.5).decide(error('rate_limited', { retryAfterMs }), history(1, 3));
      expect(decision).toMatchObject({ action: 'retry', delayMs: expected });
      expect(decision.reason).toContain(`in ${expected} ms`);
    });
  });

  describe('exhausted attempts fail the goal', () => {
    it.each<[number, number]>([
      [3, 3],
      [1, 1],
      [5, 3], // more attempts than allowed (a late duplicate) is exhausted too
    ])('attempt %i of %i', (attempt, maxAttempts) => {
      const decision = policy(() => 0.5).decide(error('timeout', { message: 'no answer' }), history(attempt, maxAttempts));
      expect(decision.action).toBe('fail_goal');
      expect(decision.reason).toContain(`gave up after ${attempt} of ${maxAttempts} attempts`);
      expect(decision.reason).toContain('timeout: no answer');
    });

    it('retries the attempt before the last', () => {
      expect(policy(() => 0).decide(error('transient'), history(2, 3))).toMatchObject({ action: 'retry', delayMs: 200 });
    });
  });
});
