import { parseNestLogCall } from './nest-log-call';

const STACK = 'Error: boom\n    at run (/app/dist/x.js:1:2)';

describe('parseNestLogCall', () => {
  it.each<[string, unknown, unknown[], boolean, object]>([
    ['a bare message', 'hello', [], false, { msg: 'hello' }],
    ['a message and its context', 'hello', ['RunDriver'], false, { msg: 'hello', context: 'RunDriver' }],
    ['extra messages before the context', 'a', [{ b: 1 }, 'Ctx'], false, { msg: 'a {"b":1}', context: 'Ctx' }],
    ['a number', 42, [], false, { msg: '42' }],
    ['an error with a stack and a context', 'failed', [STACK, 'RunDriver'], true, { msg: 'failed', stack: STACK, context: 'RunDriver' }],
    ['an error with undefined in place of the stack', 'failed', [undefined, 'RunDriver'], true, { msg: 'failed', context: 'RunDriver' }],
    ['an error with only a stack', 'failed', [STACK], true, { msg: 'failed', stack: STACK }],
    ['an error with only a context', 'failed', ['RunDriver'], true, { msg: 'failed', context: 'RunDriver' }],
  ])('%s', (_name, message, params, isError, expected) => {
    expect(parseNestLogCall(message, params, isError)).toEqual(expected);
  });

  it('takes the message and stack of an Error given as the message', () => {
    const error = new Error('kaput');
    expect(parseNestLogCall(error, ['Ctx'], true)).toEqual({ msg: 'kaput', context: 'Ctx', stack: error.stack });
  });

  it('survives a message that cannot be serialised', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(parseNestLogCall(cyclic, [], false).msg).toBe('[object Object]');
  });
});
