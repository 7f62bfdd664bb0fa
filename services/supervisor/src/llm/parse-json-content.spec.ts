import { parseJsonContent } from './parse-json-content';

describe('parseJsonContent', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['  {"a":1}\n', { a: 1 }],
    ['```json\n{"a":1}\n```', { a: 1 }],
    ['```\n{"a":1}\n```', { a: 1 }],
    ['```json\n{"a":\n  1}```', { a: 1 }],
    ['[1,2]', [1, 2]],
  ])('%p -> %p', (content, expected) => {
    expect(parseJsonContent(content)).toEqual({ ok: true, value: expected });
  });

  it.each(['', '   ', 'Sure! {"a":1}', '```json\n{"a":1}', '{"a":1} and more'])('rejects %p', (content) => {
    const result = parseJsonContent(content);
    expect(result.ok).toBe(false);
  });

  it('keeps a "__proto__" key as plain data', () => {
    const result = parseJsonContent('{"__proto__":{"polluted":true}}');
    expect(result.ok && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
