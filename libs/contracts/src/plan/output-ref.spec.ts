import { JsonValue } from '../json/json-value';
import { collectRefs, isRefObject, parseOutputRef } from './output-ref';

describe('parseOutputRef', () => {
  it.each([
    ['a', { taskId: 'a', path: [] }],
    ['a.b.0', { taskId: 'a', path: ['b', '0'] }],
    ['fetch_1:v2.rows.12.total', { taskId: 'fetch_1:v2', path: ['rows', '12', 'total'] }],
    ['A-1.$ref', { taskId: 'A-1', path: ['$ref'] }],
  ])('%s -> %j', (ref, expected) => {
    expect(parseOutputRef(ref)).toEqual(expected);
  });

  it.each([
    ['the empty string', ''],
    ['an id starting with a dash', '-a'],
    ['an id starting with an underscore', '_a.b'],
    ['an id with a space', 'a b'],
    ['an id with a slash', 'a/b'],
    ['a non-ASCII id', 'é.x'],
    ['an id of 129 characters', 'a'.repeat(129)],
    ['a leading dot', '.a'],
    ['a trailing dot', 'a.'],
    ['two dots in a row', 'a..b'],
    ['a lone dot', '.'],
  ])('rejects %s', (_name, ref) => {
    expect(parseOutputRef(ref)).toBeUndefined();
  });

  it('accepts an id of 128 characters', () => {
    expect(parseOutputRef('a'.repeat(128))?.taskId).toHaveLength(128);
  });
});

describe('isRefObject', () => {
  it.each<[string, JsonValue, boolean]>([
    ['a $ref object', { $ref: 'a.b' }, true],
    ['a $ref object with extra keys', { $ref: 'a', note: 'x' }, false],
    ['a $ref that is not a string', { $ref: 1 }, false],
    ['an array holding a $ref', [{ $ref: 'a' }], false],
    ['a string', '$ref', false],
    ['null', null, false],
  ])('%s: %s', (_name, value, expected) => {
    expect(isRefObject(value)).toBe(expected);
  });
});

describe('collectRefs', () => {
  it('finds every reference in nested inputs, in document order', () => {
    const input: JsonValue = {
      first: { $ref: 'read' },
      nested: { deeper: [{ $ref: 'parse.rows.0' }, 'literal', 3, null, { keep: { $ref: 'sum' } }] },
      list: [[{ $ref: 'read.size' }]],
    };
    expect(collectRefs(input)).toEqual(['read', 'parse.rows.0', 'sum', 'read.size']);
  });

  it('does not treat a $ref object with extra keys as a reference, but looks inside it', () => {
    const input: JsonValue = { schema: { $ref: 'not-a-ref', type: 'object', items: { $ref: 'inner' } } };
    expect(collectRefs(input)).toEqual(['inner']);
  });

  it.each<[string, JsonValue | undefined]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'a.b'],
    ['a number', 1],
    ['an object without refs', { a: { b: [1, 2, { c: 'd' }] } }],
  ])('finds nothing in %s', (_name, value) => {
    expect(collectRefs(value)).toEqual([]);
  });

  it('returns refs whether or not they parse (validation is the planner\'s job)', () => {
    expect(collectRefs({ a: { $ref: 'bad..ref' } })).toEqual(['bad..ref']);
  });
});
