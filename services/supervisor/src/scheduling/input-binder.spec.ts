import { JsonObject, JsonValue } from '@agentos/contracts';
import { bindInput, UnresolvedReferenceError } from './input-binder';

const outputs: Record<string, JsonValue | undefined> = {
  read: { body: 'id,total\n1,10', size: 13, meta: { type: 'text/csv', tags: ['a', 'b'] } },
  parse: { rows: [{ id: 1, total: 10 }, { id: 2, total: 32 }], count: 2, empty: null, zero: 0, keyed: { '0': 'zero-key' } },
  list: [[1, 2], [3, 4]],
  text: 'plain string output',
  nothing: null,
  pending: undefined,
};
const outputOf = (taskId: string): JsonValue | undefined => outputs[taskId];

function unresolved(input: JsonObject): UnresolvedReferenceError {
  try {
    bindInput(input, outputOf);
  } catch (error) {
    expect(error).toBeInstanceOf(UnresolvedReferenceError);
    return error as UnresolvedReferenceError;
  }
  throw new Error(`expected ${JSON.stringify(input)} not to bind`);
}

describe('bindInput', () => {
  it.each<[string, string, JsonValue]>([
    ['a whole object output', 'read', outputs.read!],
    ['a whole string output', 'text', 'plain string output'],
    ['a whole null output', 'nothing', null],
    ['a field', 'read.size', 13],
    ['a nested field', 'read.meta.type', 'text/csv'],
    ['an array element', 'parse.rows.1', { id: 2, total: 32 }],
    ['a field of an array element', 'parse.rows.0.total', 10],
    ['an element of a nested array', 'list.1.0', 3],
    ['an element of an array inside an object', 'read.meta.tags.1', 'b'],
    ['a null field', 'parse.empty', null],
    ['a zero field', 'parse.zero', 0],
    ['a numeric object key', 'parse.keyed.0', 'zero-key'],
  ])('binds %s (%s)', (_name, ref, expected) => {
    expect(bindInput({ value: { $ref: ref } }, outputOf)).toEqual({ value: expected });
  });

  it('binds references anywhere in the input, leaving literals as they are', () => {
    const input: JsonObject = {
      literal: 'x',
      number: 1,
      flag: false,
      none: null,
      list: [{ $ref: 'parse.count' }, 'lit', [{ $ref: 'read.size' }], { deep: { $ref: 'parse.rows.1.id' } }],
      nested: { a: { b: { $ref: 'read.meta.type' } }, c: [] },
    };
    expect(bindInput(input, outputOf)).toEqual({
      literal: 'x',
      number: 1,
      flag: false,
      none: null,
      list: [2, 'lit', [13], { deep: 2 }],
      nested: { a: { b: 'text/csv' }, c: [] },
    });
  });

  it('does not modify its input, and shares (does not copy) upstream values', () => {
    const input: JsonObject = { rows: { $ref: 'parse.rows' }, keep: { a: 1 } };
    const snapshot = JSON.parse(JSON.stringify(input)) as JsonObject;
    const bound = bindInput(input, outputOf);
    expect(input).toEqual(snapshot);
    expect(bound.rows).toBe((outputs.parse as { rows: JsonValue }).rows);
  });

  it('returns an input without references unchanged in value', () => {
    const input: JsonObject = { a: [1, { b: 'c' }], d: null };
    expect(bindInput(input, outputOf)).toEqual(input);
  });

  it('leaves a $ref object with other keys as data, binding references inside it', () => {
    const input: JsonObject = { schema: { $ref: 'read.size', type: 'object', inner: { $ref: 'parse.count' } } };
    expect(bindInput(input, outputOf)).toEqual({ schema: { $ref: 'read.size', type: 'object', inner: 2 } });
  });

  it('leaves a $ref whose value is not a string as data', () => {
    expect(bindInput({ a: { $ref: 3 } }, outputOf)).toEqual({ a: { $ref: 3 } });
  });

  describe('unresolvable references', () => {
    it.each<[string, string, RegExp]>([
      ['a missing field', 'read.missing', /no "missing"/],
      ['a missing nested field', 'read.meta.size', /no "size"/],
      ['an index past the end', 'parse.rows.2', /index "2" is outside an array of 2/],
      ['a negative index', 'parse.rows.-1', /index "-1"/],
      ['a non-numeric index into an array', 'parse.rows.first', /index "first"/],
      ['a fractional index', 'parse.rows.0.5', /no "5"|index/],
      ['a path into a string', 'text.length', /no "length"/],
      ['a path into null', 'parse.empty.x', /no "x"/],
      ['a path into a number', 'read.size.x', /no "x"/],
      ['an inherited property', 'read.constructor', /no "constructor"/],
      ['the prototype', 'read.__proto__', /no "__proto__"/],
      ['a task without an output', 'pending', /has no output/],
      ['a task unknown to outputOf', 'ghost.x', /no "x"/],
      ['a malformed reference', 'read..size', /malformed reference/],
    ])('%s (%s) -> UnresolvedReferenceError naming the reference', (_name, ref, reason) => {
      const error = unresolved({ ok: 'fine', value: [{ wrapped: { $ref: ref } }] });
      expect(error.ref).toBe(ref);
      expect(error.message).toContain(`"${ref}"`);
      expect(error.message).toMatch(reason);
    });
  });
});
