import { LlmError } from './llm-error';
import { retryDelayMs, RetryTiming } from './retry-schedule';

describe('retryDelayMs', () => {
  const timing: RetryTiming = { baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
  const noJitter = (): number => 1;

  it.each(['llm_bad_output', 'llm_refused', 'llm_request_invalid', 'llm_not_configured'] as const)('does not retry %s', (code) => {
    expect(retryDelayMs(new LlmError(code, 'x'), 1, timing)).toBeUndefined();
  });

  it('backs off exponentially up to the cap when the server names no wait', () => {
    const failure = new LlmError('llm_unavailable', 'x', { status: 503 });
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(failure, retry, timing, noJitter))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('waits what the server asked, however small or large, up to maxRetryAfterMs', () => {
    expect(retryDelayMs(new LlmError('llm_rate_limited', 'x', { retryAfterMs: 0 }), 3, timing)).toBe(0);
    expect(retryDelayMs(new LlmError('llm_rate_limited', 'x', { retryAfterMs: 5_000 }), 1, timing)).toBe(5_000);
    expect(retryDelayMs(new LlmError('llm_rate_limited', 'x', { retryAfterMs: 5_001 }), 1, timing)).toBeUndefined();
  });
});
