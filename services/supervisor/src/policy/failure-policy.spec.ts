import { DEFAULT_RETRIABLE, TaskError, TaskErrorCode, TASK_ERROR_CODES } from '@agentos/contracts';
import { FailurePolicy } from './failure-policy';

const error = (code: TaskErrorCode, extra: Partial<TaskError> = {}): TaskError => ({
  code,
  message: `${code} happened`,
  retriable: DEFAULT_RETRIABLE[code],
  ...extra,
});

const policy = (random: () => number, retryBaseMs = 200, retryMaxMs = 10_000): FailurePolicy =>
  new FailurePolicy({ retryBaseMs, retryMaxMs, random });

describe('FailurePolicy', () => {
  describe('non-retriable errors fail the goal at once', () => {
    it.each(TASK_ERROR_CODES.filter((code) => !DEFAULT_RETRIABLE[code]))('%s', (code) => {
      const decision = policy(() => 0.5).decide(error(code), 1, 5);
      expect(decision.action).toBe('fail_goal');
      expect(decision.reason).toContain(`${code} is not retriable`);
      expect(decision.reason).toContain(`${code} happened`);
    });

    it('even a retriable code, when the worker says it is not retriable', () => {
      expect(policy(() => 0.5).decide(error('transient', { retriable: false }), 1, 5).action).toBe('fail_goal');
    });
  });

  describe('retriable errors with attempts left are retried', () => {
    it.each(TASK_ERROR_CODES.filter((code) => DEFAULT_RETRIABLE[code]))('%s', (code) => {
      const decision = policy(() => 0.5).decide(error(code), 1, 3);
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
        const decision = policy(() => random).decide(error('timeout'), attempt, 20);
        if (decision.action !== 'retry') throw new Error('expected a retry');
        expect(decision.delayMs).toBeGreaterThanOrEqual(lowest);
        expect(decision.delayMs).toBeLessThanOrEqual(highest);
      }
      const [low, high] = [0, 0.999_999].map((random) => policy(() => random).decide(error('timeout'), attempt, 20));
      expect(low).toMatchObject({ delayMs: lowest });
      expect(high).toMatchObject({ delayMs: highest });
    });

    it.each<[string, number, number]>([
      ['retryAfterMs above the backoff wins', 5_000, 5_000],
      ['retryAfterMs below the backoff is a floor only', 10, 150],
      ['retryAfterMs above the cap is still honoured', 60_000, 60_000],
      ['retryAfterMs of zero changes nothing', 0, 150],
    ])('%s', (_name, retryAfterMs, expected) => {
      const decision = policy(() => 0.5).decide(error('rate_limited', { retryAfterMs }), 1, 3);
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
      const decision = policy(() => 0.5).decide(error('timeout', { message: 'no answer' }), attempt, maxAttempts);
      expect(decision.action).toBe('fail_goal');
      expect(decision.reason).toContain(`gave up after ${attempt} of ${maxAttempts} attempts`);
      expect(decision.reason).toContain('timeout: no answer');
    });

    it('retries the attempt before the last', () => {
      expect(policy(() => 0).decide(error('transient'), 2, 3)).toMatchObject({ action: 'retry', delayMs: 200 });
    });
  });
});
