import { jsonEqual } from './json-equal';

describe('jsonEqual', () => {
  it('compares JSON data by value, whatever the key order or realm', () => {
    expect(jsonEqual({ a: [1, { b: 'x' }], c: null }, structuredClone({ c: null, a: [1, { b: 'x' }] }))).toBe(true);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });

  it('tells different data apart', () => {
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: '1' })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
  });
});
