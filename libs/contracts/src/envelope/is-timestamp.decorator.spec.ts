import { isTimestamp } from './is-timestamp.decorator';

describe('isTimestamp (RFC 3339 date-time)', () => {
  it.each([
    '2026-11-25T19:31:12Z',
    '2026-11-25T19:31:12.123Z',
    '2026-11-25T19:31:12.123456789Z',
    '2026-11-25t19:31:12z',
    '2026-11-25T19:31:12+05:30',
    '2026-11-25T19:31:12.5-08:00',
    '2024-02-29T00:00:00Z',
    '2026-12-31T23:59:59.999Z',
  ])('accepts %s', (value) => expect(isTimestamp(value)).toBe(true));

  it.each([
    ['a date alone', '2026-11-25'],
    ['no offset', '2026-11-25T19:31:12'],
    ['a space for T', '2026-11-25 19:31:12Z'],
    ['February 30', '2026-02-30T00:00:00Z'],
    ['February 29 of a common year', '2025-02-29T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['day 0', '2026-01-00T00:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['minute 60', '2026-01-01T23:60:00Z'],
    ['offset hour 24', '2026-01-01T00:00:00+24:00'],
    ['basic format', '20261125T193112Z'],
    ['text', 'yesterday'],
    ['a number', 1_764_099_072_000],
    ['null', null],
  ])('rejects %s', (_name, value) => expect(isTimestamp(value)).toBe(false));
});
