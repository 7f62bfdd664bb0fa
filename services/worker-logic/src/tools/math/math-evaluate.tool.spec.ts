import { ToolError } from '@agentos/worker-kit';
import { expectToolError, inputProblems, runTool } from '@agentos/test-kit';
import { DISABLED_FUNCTIONS } from './hardened-math';
import { MathEvaluateTool } from './math-evaluate.tool';

describe('MathEvaluateTool (math.evaluate)', () => {
  // One instance for the whole file, as in a worker: attacks must not leave it changed.
  const tool = new MathEvaluateTool();
  const evaluate = (expression: string, scope?: object) => runTool(tool, { expression, ...(scope ? { scope } : {}) });

  describe('results', () => {
    it.each([
      ['sqrt(3^2 + 4^2)', 5, 'number'],
      ['0.1 + 0.2', 0.30000000000000004, 'number'],
      ['x = 2; y = x^3; y + 1', 9, 'number'],
      ['complex(3, 0)', 3, 'Complex'],
      ['fraction(1, 4)', 0.25, 'Fraction'],
      ['bignumber("0.1") + bignumber("0.2")', 0.3, 'BigNumber'],
      ['det([1, 2; 3, 4])', -2, 'number'],
    ])('returns %s as the number %p', async (expression, value, type) => {
      await expect(evaluate(expression)).resolves.toEqual({ value, type });
    });

    it.each([
      ['5 cm to inch', '1.9685039370078743 inch', 'Unit'],
      ['[1, 2] * 2', '[2, 4]', 'DenseMatrix'],
      ['3 > 2', 'true', 'boolean'],
      ['sqrt(-4)', '2i', 'Complex'],
      ['fraction(1, 3)', '1/3', 'Fraction'],
      ['bignumber("1.00000000000000000000001")', '1.00000000000000000000001', 'BigNumber'],
      ['concat("ab", "cd")', 'abcd', 'string'],
      ['eigs([2, 0; 0, 3]).values', '[2, 3]', 'DenseMatrix'],
    ])('returns %s as text', async (expression, value, type) => {
      await expect(evaluate(expression)).resolves.toEqual({ value, type });
    });

    it('reads numbers, vectors and matrices from the scope', async () => {
      await expect(evaluate('a * b + mean(v) + det(M)', { a: 3, b: 4, v: [1, 2, 3, 4], M: [[1, 2], [3, 4]] })).resolves.toEqual({
        value: 12.5,
        type: 'number',
      });
    });

    it('keeps each call’s assignments to itself', async () => {
      await evaluate('leaked = 5');
      await expectToolError(evaluate('leaked'), 'invalid_input');
    });

    it('keeps ordinary use of the guarded allocating functions working', async () => {
      await expect(evaluate('zeros(2, 2)')).resolves.toMatchObject({ value: '[[0, 0], [0, 0]]' });
      await expect(evaluate('sum(1:100)')).resolves.toMatchObject({ value: 5050 });
      await expect(evaluate('range(0, 10, 5)')).resolves.toMatchObject({ value: '[0, 5, 10]' });
      await expect(evaluate('identity(2)')).resolves.toMatchObject({ value: '[[1, 0], [0, 1]]' });
      await expect(evaluate('size(random([3]))')).resolves.toMatchObject({ value: '[3]' });
    });
  });

  describe('input errors (invalid_input)', () => {
    it('reports a syntax error with its position', async () => {
      const error = await expectToolError(evaluate('2 +'), 'invalid_input');
      expect(error.details).toEqual({ char: 4 });
    });

    it.each(['x + 1', 'foo(2)'])('reports the undefined name in %s', async (expression) => {
      const error = await expectToolError(evaluate(expression), 'invalid_input');
      expect(error.message).toMatch(/Undefined (symbol|function)/);
    });

    it.each([
      ['import({ pi: 3 }, { override: true })', 'import'],
      ['createUnit("x")', 'createUnit'],
      ['createUnit("furlong", "201.168 m")', 'createUnit'],
      ['evaluate("1+1")', 'evaluate'],
      ['parse("1+1")', 'parse'],
      ['compile("1+1")', 'compile'],
      ['parser()', 'parser'],
      ['simplify("x+x")', 'simplify'],
      ['derivative("x^2", "x")', 'derivative'],
      ['rationalize("1/x")', 'rationalize'],
      ['resolve(1, {})', 'resolve'],
      ['config({ number: "BigNumber" })', 'config'],
      ['typed("f", {})', 'typed'],
    ])('refuses %s', async (expression, name) => {
      const error = await expectToolError(evaluate(expression), 'invalid_input');
      expect(error.details).toEqual({ function: name });
    });

    it('refuses reaching the typed-function registry through a member', async () => {
      await expectToolError(evaluate('typed.clear()'), 'invalid_input');
    });

    it('refuses prototype members', async () => {
      await expectToolError(evaluate('[1, 2].constructor'), 'invalid_input');
    });

    it('refuses function definitions, which could recurse without bound', async () => {
      const error = await expectToolError(evaluate('f(n) = n < 1 ? 1 : f(n - 1) + f(n - 1); f(60)'), 'invalid_input');
      expect(error.details).toEqual({ function: 'f' });
    });

    it('refuses nesting too deep for the parser without crashing', async () => {
      const deep = `${'('.repeat(999)}1${')'.repeat(999)}`;
      const error = await expectToolError(evaluate(deep), 'invalid_input');
      expect(error.message).toMatch(/nested too deeply/);
    });

    it('disables every listed function', () => {
      expect(DISABLED_FUNCTIONS).toEqual(expect.arrayContaining(['import', 'createUnit', 'evaluate', 'parse', 'simplify', 'derivative', 'resolve', 'reviver', 'compile']));
    });

    it('is unchanged after every refused attempt', async () => {
      await expect(evaluate('0.1 + 0.2')).resolves.toEqual({ value: 0.30000000000000004, type: 'number' });
      await expect(evaluate('sqrt(16)')).resolves.toEqual({ value: 4, type: 'number' });
      await expectToolError(evaluate('1 x'), 'invalid_input');
    });
  });

  describe('math errors (logic_error)', () => {
    it.each([
      ['[1, 2] + [1, 2, 3]', /dimension|mismatch/i],
      ['1 cm + 1 s', /Units do not match/],
      ['sqrt("abc")', /Cannot convert/],
      ['inv([1, 2; 2, 4])', /determinant is zero/],
    ])('reports %s', async (expression, message) => {
      const error = await expectToolError(evaluate(expression), 'logic_error');
      expect(error.message).toMatch(message);
    });

    it.each(['1 / 0', '0 / 0', '-1 / 0', '5 cm / 0', '[1, 1 / 0]', 'bignumber(1) / 0', 'complex(1 / 0, 1)'])(
      'refuses the non-finite result of %s',
      async (expression) => {
        const error = await expectToolError(evaluate(expression), 'logic_error');
        expect(error.message).toMatch(/not finite/);
      },
    );

    it.each(['zeros(10000, 10000)', 'ones([5000, 5000])', 'identity(2000)', '1:1e9', 'range(1, 1e9)', 'range("1:1e9")', 'random([1e4, 1e4])', 'resize([1], [1e7])'])(
      'refuses the allocation in %s',
      async (expression) => {
        const error = await expectToolError(evaluate(expression), 'logic_error');
        expect(error.message).toMatch(/would create \d+ elements/);
      },
    );

    it.each(['x = 1;', '# only a comment'])('reports that %j produces no value', async (expression) => {
      await expectToolError(evaluate(expression), 'logic_error');
    });

    it('refuses a function as the value', async () => {
      const error = await expectToolError(evaluate('sqrt'), 'logic_error');
      expect(error.message).toMatch(/function/);
    });

    it('refuses a result larger than maxOutputBytes', async () => {
      const small = new MathEvaluateTool({ maxOutputBytes: 100 });
      await expectToolError(runTool(small, { expression: 'ones(100)' }), 'logic_error');
    });

    it('does not evaluate for an aborted task', async () => {
      const controller = new AbortController();
      const reason = new ToolError('cancelled', 'goal cancelled');
      controller.abort(reason);
      await expect(runTool(tool, { expression: '1' }, { signal: controller.signal })).rejects.toBe(reason);
    });
  });

  describe('input validation', () => {
    it('accepts a scope of numbers, vectors and matrices', () => {
      expect(inputProblems(tool, { expression: 'a', scope: { a: 1, v: [1, 2], M: [[1, 2], [3, 4]], empty: [] } })).toEqual([]);
    });

    it.each([
      ['a missing expression', {}, 'expression'],
      ['an empty expression', { expression: '' }, 'expression'],
      ['a very long expression', { expression: '1+'.repeat(1_000) + '1' }, 'expression'],
      ['a scope that is an array', { expression: 'a', scope: [1] }, 'scope'],
      ['a scope name that is not an identifier', { expression: 'a', scope: { '2x': 1 } }, 'scope'],
      ['too many scope variables', { expression: 'a', scope: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, i])) }, 'scope'],
      ['a text scope value', { expression: 'a', scope: { a: '3' } }, 'scope'],
      ['a ragged matrix', { expression: 'a', scope: { a: [[1, 2], [3]] } }, 'scope'],
      ['a three-dimensional array', { expression: 'a', scope: { a: [[[1]]] } }, 'scope'],
      ['too many numbers in the scope', { expression: 'a', scope: { a: new Array(100_001).fill(0) } }, 'scope'],
      ['an unknown field', { expression: '1', precision: 3 }, 'precision'],
    ])('rejects %s', (_label, input, field) => {
      expect(inputProblems(tool, input)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${field}: `))]));
    });
  });
});
