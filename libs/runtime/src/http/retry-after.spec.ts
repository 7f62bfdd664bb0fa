import { retryAfterMs } from './retry-after';

const headers = (values: Record<string, string>): Headers => new Headers(values);

describe('retryAfterMs', () => {
  const now = (): number => Date.parse('2030-01-01T00:00:00Z');

  it.each([
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after-ms': '12.3' }, 13],
    [{ 'retry-after': '2' }, 2_000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': 'Tue, 01 Jan 2030 00:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Mon, 31 Dec 2029 23:00:00 GMT' }, 0],
    [{ 'retry-after-ms': '100', 'retry-after': '9' }, 100],
    [{ 'retry-after-ms': 'soon', 'retry-after': '3' }, 3_000],
  ])('%p -> %p ms', (values, expected) => {
    expect(retryAfterMs(headers(values), now)).toBe(expected);
  });

  it.each([[{}], [{ 'retry-after': 'later' }], [{ 'retry-after': '-1' }]])('%p -> undefined', (values) => {
    expect(retryAfterMs(headers(values), now)).toBeUndefined();
  });

  it('reads no headers as no wait asked', () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
