import { expectToolError, inputProblems, runTool } from '@agentos/test-kit';
import { CsvParseTool } from './csv-parse.tool';

describe('CsvParseTool (csv.parse)', () => {
  const tool = new CsvParseTool();

  describe('parsing', () => {
    it('keys rows by the header and casts numbers and booleans', async () => {
      const text = 'name,qty,price,active,note\nwidget,3,2.50,true,\ngadget,10,-1e2,false,fragile\n';
      await expect(runTool(tool, { text })).resolves.toEqual({
        columns: ['name', 'qty', 'price', 'active', 'note'],
        rows: [
          { name: 'widget', qty: 3, price: 2.5, active: true, note: '' },
          { name: 'gadget', qty: 10, price: -100, active: false, note: 'fragile' },
        ],
        rowCount: 2,
      });
    });

    it('reads quoted fields holding delimiters, line breaks and escaped quotes', async () => {
      const text = 'id,comment\n1,"hello, world"\n2,"line one\nline two"\n3,"she said ""hi"""\n';
      const { rows } = await runTool(tool, { text });
      expect(rows).toEqual([
        { id: 1, comment: 'hello, world' },
        { id: 2, comment: 'line one\nline two' },
        { id: 3, comment: 'she said "hi"' },
      ]);
    });

    it('names columns col1..colN without a header', async () => {
      await expect(runTool(tool, { text: 'a,1\nb,2\n', header: false })).resolves.toEqual({
        columns: ['col1', 'col2'],
        rows: [
          { col1: 'a', col2: 1 },
          { col1: 'b', col2: 2 },
        ],
        rowCount: 2,
      });
    });

    it('leaves every field as text when cast is off', async () => {
      const { rows } = await runTool(tool, { text: 'n,flag\n007,true\n', cast: false });
      expect(rows).toEqual([{ n: '007', flag: 'true' }]);
    });

    it('splits on another delimiter', async () => {
      await expect(runTool(tool, { text: 'a;b\n1;x,y\n', delimiter: ';' })).resolves.toMatchObject({ rows: [{ a: 1, b: 'x,y' }] });
      await expect(runTool(tool, { text: 'a\tb\n 1 \t 2 \n', delimiter: '\t' })).resolves.toMatchObject({ rows: [{ a: 1, b: 2 }] });
    });

    it('trims fields by default and keeps whitespace when asked', async () => {
      await expect(runTool(tool, { text: ' a , b \n 1 , x \n' })).resolves.toMatchObject({ columns: ['a', 'b'], rows: [{ a: 1, b: 'x' }] });
      await expect(runTool(tool, { text: 'a,b\n 1 , x \n', trim: false })).resolves.toMatchObject({ rows: [{ a: ' 1 ', b: ' x ' }] });
    });

    it('skips empty lines by default', async () => {
      await expect(runTool(tool, { text: 'a,b\n\n1,2\n\n\n3,4\n' })).resolves.toMatchObject({ rowCount: 2 });
    });

    it('keeps empty lines as rows when asked (one column)', async () => {
      await expect(runTool(tool, { text: 'a\n1\n\n2\n', skipEmptyLines: false })).resolves.toMatchObject({
        rows: [{ a: 1 }, { a: '' }, { a: 2 }],
      });
    });

    it('handles CRLF line endings and a byte-order mark', async () => {
      await expect(runTool(tool, { text: '\ufeffa,b\r\n1,2\r\n' })).resolves.toMatchObject({ columns: ['a', 'b'], rows: [{ a: 1, b: 2 }] });
    });

    it('returns nothing for empty text, and only columns for a lone header', async () => {
      await expect(runTool(tool, { text: '' })).resolves.toEqual({ columns: [], rows: [], rowCount: 0 });
      await expect(runTool(tool, { text: 'a,b\n' })).resolves.toEqual({ columns: ['a', 'b'], rows: [], rowCount: 0 });
    });

    it('returns rows with the ordinary prototype', async () => {
      const { rows } = await runTool(tool, { text: 'a\n1\n' });
      expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    });
  });

  describe('malformed files', () => {
    it('rejects a ragged row, naming its line', async () => {
      const error = await expectToolError(runTool(tool, { text: 'a,b\n1,2\n3\n' }), 'invalid_input');
      expect(error.details).toEqual({ line: 3, fields: 1, expected: 2 });
    });

    it('counts physical lines when a quoted field spans several', async () => {
      const error = await expectToolError(runTool(tool, { text: 'a,b\n"x\ny",1\n1,2,3\n' }), 'invalid_input');
      expect(error.details).toMatchObject({ line: 4 });
    });

    it('treats an empty line kept by skipEmptyLines: false as ragged when there are several columns', async () => {
      await expectToolError(runTool(tool, { text: 'a,b\n1,2\n\n3,4\n', skipEmptyLines: false }), 'invalid_input');
    });

    it('rejects an unterminated quote', async () => {
      const error = await expectToolError(runTool(tool, { text: 'a,b\n"open,1\n' }), 'invalid_input');
      expect(error.details).toMatchObject({ code: 'CSV_QUOTE_NOT_CLOSED' });
    });

    it('rejects text after a closing quote', async () => {
      await expectToolError(runTool(tool, { text: 'a,b\n"x"y,1\n' }), 'invalid_input');
    });
  });

  describe('headers', () => {
    it('rejects duplicate column names', async () => {
      const error = await expectToolError(runTool(tool, { text: 'id,name,id\n1,a,2\n' }), 'invalid_input');
      expect(error.message).toMatch(/columns 1 and 3 are both named "id"/);
    });

    it('rejects an empty column name', async () => {
      const error = await expectToolError(runTool(tool, { text: 'id,,name\n1,2,3\n' }), 'invalid_input');
      expect(error.details).toEqual({ column: 2 });
    });

    it.each(['__proto__', 'constructor', 'prototype'])('rejects the prototype key %j as a column name', async (name) => {
      const error = await expectToolError(runTool(tool, { text: `id,${name}\n1,polluted\n` }), 'invalid_input');
      expect(error.message).toMatch(/reserved/);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    });

    it('parses such a file without a header instead', async () => {
      await expect(runTool(tool, { text: 'id,__proto__\n1,x\n', header: false })).resolves.toMatchObject({
        rows: [{ col1: 'id', col2: '__proto__' }, { col1: 1, col2: 'x' }],
      });
    });
  });

  describe('limits', () => {
    const small = new CsvParseTool({ maxRows: 2, maxColumns: 3, maxInputBytes: 64, maxOutputBytes: 10_000 });

    it('accepts exactly maxRows rows, the header not counted', async () => {
      await expect(runTool(small, { text: 'a\n1\n2\n' })).resolves.toMatchObject({ rowCount: 2 });
      await expect(runTool(small, { text: '1\n2\n', header: false })).resolves.toMatchObject({ rowCount: 2 });
    });

    it('rejects more than maxRows rows', async () => {
      const error = await expectToolError(runTool(small, { text: 'a\n1\n2\n3\n' }), 'invalid_input');
      expect(error.details).toEqual({ maxRows: 2 });
    });

    it('rejects more than maxColumns fields', async () => {
      const error = await expectToolError(runTool(small, { text: 'a,b,c,d\n' }), 'invalid_input');
      expect(error.details).toEqual({ line: 1, maxColumns: 3 });
    });

    it('rejects text longer than maxInputBytes characters at validation', () => {
      expect(inputProblems(small, { text: 'x'.repeat(65) })).toEqual([expect.stringMatching(/^text: /)]);
    });

    it('rejects text within the character limit but over maxInputBytes in UTF-8', async () => {
      const error = await expectToolError(runTool(small, { text: 'é'.repeat(40) }), 'invalid_input');
      expect(error.details).toEqual({ bytes: 80, maxBytes: 64 });
    });

    it('reports output larger than maxOutputBytes as logic_error', async () => {
      const tight = new CsvParseTool({ maxOutputBytes: 100 });
      const text = `a_long_column_name\n${'1\n'.repeat(20)}`;
      await expectToolError(runTool(tight, { text }), 'logic_error');
    });
  });

  describe('input validation', () => {
    it.each([
      ['missing text', {}, 'text'],
      ['text that is not a string', { text: 5 }, 'text'],
      ['a two-character delimiter', { text: 'a', delimiter: '||' }, 'delimiter'],
      ['a quote as delimiter', { text: 'a', delimiter: '"' }, 'delimiter'],
      ['a line break as delimiter', { text: 'a', delimiter: '\n' }, 'delimiter'],
      ['an empty delimiter', { text: 'a', delimiter: '' }, 'delimiter'],
      ['a non-boolean header flag', { text: 'a', header: 'yes' }, 'header'],
      ['a non-boolean cast flag', { text: 'a', cast: 1 }, 'cast'],
      ['an unknown field', { text: 'a', columns: ['x'] }, 'columns'],
    ])('rejects %s', (_label, input, field) => {
      expect(inputProblems(tool, input)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${field}: `))]));
    });
  });
});
