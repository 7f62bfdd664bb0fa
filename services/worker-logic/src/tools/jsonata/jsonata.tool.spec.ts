import { ToolError } from '@agentos/worker-kit';
import { expectToolError, inputProblems, runTool, toolContext } from '@agentos/test-kit';
import { JsonataTool } from './jsonata.tool';

const SALES = [
  { region: 'north', amount: 10 },
  { region: 'south', amount: 5 },
  { region: 'north', amount: 7.5 },
];

/** Each reading of the clock advances it by 1 ms: time limits trip after a known number of steps. */
function steppingClock(): () => number {
  let now = 0;
  return () => now++;
}

describe('JsonataTool (jsonata)', () => {
  const tool = new JsonataTool();

  describe('evaluation', () => {
    it('queries a document', async () => {
      await expect(runTool(tool, { expression: 'order.items[price > 5].name', data: { order: { items: [{ name: 'a', price: 3 }, { name: 'b', price: 9 }] } } })).resolves.toEqual({ result: 'b' });
    });

    it('groups and sums a CSV-like array of rows', async () => {
      await expect(runTool(tool, { expression: '${ region: $sum(amount) }', data: SALES })).resolves.toEqual({
        result: { north: 17.5, south: 5 },
      });
    });

    it('maps each row with $.{ } (one object per row, no grouping)', async () => {
      await expect(runTool(tool, { expression: '$.{ region: $sum(amount) }', data: SALES })).resolves.toEqual({
        result: [{ north: 10 }, { south: 5 }, { north: 7.5 }],
      });
    });

    it('returns sequences as plain arrays and objects with the ordinary prototype', async () => {
      const { result } = await runTool(tool, { expression: '$.{ "r": region }', data: SALES });
      expect(Array.isArray(result)).toBe(true);
      expect(Object.keys(result as object)).toEqual(['0', '1', '2']);
      expect(Object.getPrototypeOf((result as object[])[0])).toBe(Object.prototype);
    });

    it('returns null when nothing matches', async () => {
      await expect(runTool(tool, { expression: 'missing.path', data: { present: 1 } })).resolves.toEqual({ result: null });
    });

    it('accepts a null document', async () => {
      await expect(runTool(tool, { expression: '1 + 2', data: null })).resolves.toEqual({ result: 3 });
    });

    it('reads bindings as $variables', async () => {
      await expect(
        runTool(tool, { expression: '$[amount >= $minimum].amount', data: SALES, bindings: { minimum: 7 } }),
      ).resolves.toEqual({ result: [10, 7.5] });
    });

    it('allows bounded recursion', async () => {
      const factorial = '($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(20))';
      await expect(runTool(tool, { expression: factorial, data: null })).resolves.toEqual({ result: 2432902008176640000 });
    });

    it('keeps a "__proto__" key the expression builds as data, without touching any prototype', async () => {
      const { result } = await runTool(tool, { expression: '{ "__proto__": { "polluted": true } }', data: null });
      expect(Object.getOwnPropertyNames(result)).toEqual(['__proto__']);
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
      expect(JSON.stringify(result)).toBe('{"__proto__":{"polluted":true}}');
    });
  });

  describe('faulty expressions', () => {
    it('reports a compile error as invalid_input with its position', async () => {
      const error = await expectToolError(runTool(tool, { expression: 'items[price >', data: {} }), 'invalid_input');
      expect(error.message).toMatch(/does not compile/);
      expect(error.details).toMatchObject({ code: expect.stringMatching(/^S0/), position: expect.any(Number) });
    });

    it('reports a type error as logic_error', async () => {
      const error = await expectToolError(runTool(tool, { expression: '"a" + 1', data: null }), 'logic_error');
      expect(error.details).toMatchObject({ code: 'T2001' });
    });

    it('reports calling a non-function as logic_error', async () => {
      await expectToolError(runTool(tool, { expression: '$nope(1)', data: null }), 'logic_error');
    });

    it('refuses a non-finite result', async () => {
      const error = await expectToolError(runTool(tool, { expression: '1 / 0', data: null }), 'logic_error');
      expect(error.message).toMatch(/not a finite number/);
    });

    it('refuses a function as the result', async () => {
      const error = await expectToolError(runTool(tool, { expression: '{ "f": function($x) { $x } }', data: null }), 'logic_error');
      expect(error.message).toMatch(/function at \$\.f/);
    });

    it('refuses a result nested deeper than the wire allows', async () => {
      const nest = '($f := function($n){ $n = 0 ? 1 : { "a": $f($n - 1) } }; $f(70))';
      const error = await expectToolError(runTool(tool, { expression: nest, data: null }), 'logic_error');
      expect(error.message).toMatch(/nests deeper than 64/);
    });

    it('refuses a result larger than maxOutputBytes', async () => {
      const small = new JsonataTool({ maxOutputBytes: 1_000 });
      const error = await expectToolError(runTool(small, { expression: '$pad("x", 2000)', data: null }), 'logic_error');
      expect(error.details).toMatchObject({ maxBytes: 1_000 });
    });
  });

  describe('evaluation limits', () => {
    const TAIL_RECURSION = '($f := function($x){ $f($x) }; $f(1))';
    const DEEP_RECURSION = '($f := function($x){ 1 + $f($x) }; $f(1))';

    it('stops infinite tail recursion (constant depth) at the time limit', async () => {
      const timed = new JsonataTool({ maxEvalMs: 50, clock: steppingClock() });
      const error = await expectToolError(runTool(timed, { expression: TAIL_RECURSION, data: null }), 'logic_error');
      expect(error.message).toBe('expression exceeded 50 ms');
    });

    it('stops infinite tail recursion on the real clock too', async () => {
      const timed = new JsonataTool({ maxEvalMs: 20 });
      const error = await expectToolError(runTool(timed, { expression: TAIL_RECURSION, data: null }), 'logic_error');
      expect(error.message).toBe('expression exceeded 20 ms');
    });

    it('stops infinite non-tail recursion at the depth limit', async () => {
      const shallow = new JsonataTool({ maxDepth: 100 });
      const error = await expectToolError(runTool(shallow, { expression: DEEP_RECURSION, data: null }), 'logic_error');
      expect(error.message).toMatch(/depth limit of 100/);
    });

    it('stops recursion hidden inside $eval, reporting the limit rather than the wrapper error', async () => {
      const shallow = new JsonataTool({ maxDepth: 100 });
      const expression = `$eval(${JSON.stringify(DEEP_RECURSION)})`;
      const error = await expectToolError(runTool(shallow, { expression, data: null }), 'logic_error');
      expect(error.message).toMatch(/depth limit of 100/);
    });

    it('does not start when the task is already aborted, and reports the executor’s reason', async () => {
      const controller = new AbortController();
      const reason = new ToolError('timeout', 'deadline passed');
      controller.abort(reason);
      await expect(runTool(tool, { expression: '1', data: null }, { signal: controller.signal })).rejects.toBe(reason);
    });

    it('reports an abort without a ToolError reason as cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      await expectToolError(runTool(tool, { expression: '1', data: null }, { signal: controller.signal }), 'cancelled');
    });

    it('yields to the event loop, so an abort arriving mid-evaluation stops it', async () => {
      const patient = new JsonataTool({ maxEvalMs: Number.MAX_SAFE_INTEGER });
      const controller = new AbortController();
      const reason = new ToolError('cancelled', 'goal cancelled');
      setImmediate(() => controller.abort(reason));
      await expect(patient.execute({ expression: TAIL_RECURSION, data: null }, toolContext({ signal: controller.signal }))).rejects.toBe(reason);
    });
  });

  describe('input validation', () => {
    it('accepts a minimal input', () => {
      expect(inputProblems(tool, { expression: '$', data: { a: 1 } })).toEqual([]);
    });

    it.each([
      ['a missing expression', { data: {} }, 'expression'],
      ['an empty expression', { expression: '', data: {} }, 'expression'],
      ['an over-long expression', { expression: 'x'.repeat(10_001), data: {} }, 'expression'],
      ['a non-string expression', { expression: 42, data: {} }, 'expression'],
      ['a missing document', { expression: '$' }, 'data'],
      ['bindings that are not an object', { expression: '$', data: {}, bindings: [1] }, 'bindings'],
      ['a binding name that is not an identifier', { expression: '$', data: {}, bindings: { 'a-b': 1 } }, 'bindings'],
      ['an unknown field', { expression: '$', data: {}, extra: true }, 'extra'],
    ])('rejects %s', (_label, input, field) => {
      expect(inputProblems(tool, input)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${field}: `))]));
    });

    it('rejects a document nested deeper than the wire allows', () => {
      let deep: unknown = 1;
      for (let level = 0; level < 70; level += 1) deep = [deep];
      expect(inputProblems(tool, { expression: '$', data: deep })).toEqual([expect.stringMatching(/^data: /)]);
    });
  });
});
