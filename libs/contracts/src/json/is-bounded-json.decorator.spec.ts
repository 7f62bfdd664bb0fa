import { nestedObject } from '../testing/sample-messages';
import { jsonDepthExceeds } from './is-bounded-json.decorator';

describe('jsonDepthExceeds', () => {
  it.each<[string, unknown, number, boolean]>([
    ['a scalar', 'text', 0, false],
    ['null', null, 0, false],
    ['{} against 0', {}, 0, true],
    ['{} against 1', {}, 1, false],
    ['[] against 1', [], 1, false],
    ['[[1]] against 1', [[1]], 1, true],
    ['{a:[{}]} against 3', { a: [{}] }, 3, false],
    ['{a:[{}]} against 2', { a: [{}] }, 2, true],
    ['a 64-deep object against 64', nestedObject(64), 64, false],
    ['a 65-deep object against 64', nestedObject(65), 64, true],
    ['a wide, shallow object against 2', { a: { x: 1 }, b: { y: 2 }, c: [1, 2, 3] }, 2, false],
  ])('%s -> %s', (_name, value, limit, expected) => {
    expect(jsonDepthExceeds(value, limit)).toBe(expected);
  });

  it('copes with a million levels (iterative, no stack overflow)', () => {
    let deep: unknown = 0;
    for (let level = 0; level < 1_000_000; level++) deep = [deep];
    expect(jsonDepthExceeds(deep, 64)).toBe(true);
  });
});
