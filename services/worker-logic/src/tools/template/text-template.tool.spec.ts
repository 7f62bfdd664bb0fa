import { ToolError } from '@agentos/worker-kit';
import Mustache from 'mustache';
import { expectToolError, inputProblems, runTool } from '@agentos/test-kit';
import { TextTemplateTool } from './text-template.tool';

describe('TextTemplateTool (text.template)', () => {
  const tool = new TextTemplateTool();
  const render = (template: string, data: object, escape?: 'none' | 'html') =>
    runTool(tool, { template, data, ...(escape ? { escape } : {}) }).then((output) => output.text);

  describe('rendering', () => {
    it('substitutes values without HTML escaping by default', async () => {
      await expect(render('Dear {{name}}, re: {{subject}}', { name: 'Ann & "Bob"', subject: '<draft>' })).resolves.toBe(
        'Dear Ann & "Bob", re: <draft>',
      );
    });

    it('escapes HTML when asked, except in triple mustaches', async () => {
      await expect(render('{{v}} {{{v}}} {{&v}}', { v: '<a href="x">' }, 'html')).resolves.toBe(
        '&lt;a href&#x3D;&quot;x&quot;&gt; <a href="x"> <a href="x">',
      );
    });

    it('renders nested sections, reading outer values from inside', async () => {
      const template = '{{#orders}}#{{id}}:{{#items}} {{qty}}x{{name}} ({{currency}}{{price}}){{/items}}\n{{/orders}}';
      const data = {
        currency: '€',
        orders: [
          { id: 1, items: [{ name: 'pen', qty: 2, price: 1.5 }, { name: 'ink', qty: 1, price: 4 }] },
          { id: 2, items: [{ name: 'pad', qty: 3, price: 2 }] },
        ],
      };
      await expect(render(template, data)).resolves.toBe('#1: 2xpen (€1.5) 1xink (€4)\n#2: 3xpad (€2)\n');
    });

    it('renders missing keys, sections and paths as nothing', async () => {
      await expect(render('[{{missing}}][{{#gone}}x{{/gone}}][{{a.b.c}}][{{{nope}}}]', { a: {} })).resolves.toBe('[][][][]');
    });

    it('renders inverted sections for missing, false and empty values', async () => {
      await expect(render('{{^list}}empty{{/list}} {{^flag}}off{{/flag}} {{^nothing}}none{{/nothing}}', { list: [], flag: false })).resolves.toBe(
        'empty off none',
      );
    });

    it('renders dotted names, the current item and own properties like length', async () => {
      await expect(
        render('{{customer.name}}: {{#tags}}[{{.}}]{{/tags}} ({{tags.length}} tags, name has {{customer.name.length}} letters)', {
          customer: { name: 'Ada' },
          tags: ['x', 'y'],
        }),
      ).resolves.toBe('Ada: [x][y] (2 tags, name has 3 letters)');
    });

    it('renders numbers, booleans and null like mustache does', async () => {
      await expect(render('{{n}} {{yes}} [{{none}}] {{#yes}}shown{{/yes}}', { n: 2.5, yes: true, none: null })).resolves.toBe(
        '2.5 true [] shown',
      );
    });

    it('supports changing the delimiters', async () => {
      await expect(render('{{=<% %>=}}<% name %> {{name}}', { name: 'x' })).resolves.toBe('x {{name}}');
    });

    it('never reaches into prototypes', async () => {
      const template = '[{{constructor}}][{{name.constructor.name}}][{{obj.toString}}][{{#constructor}}x{{/constructor}}][{{list.map}}][{{#obj.hasOwnProperty}}y{{/obj.hasOwnProperty}}]';
      await expect(render(template, { name: 'n', obj: {}, list: [1] })).resolves.toBe('[][][][][][]');
    });

    it('leaves the global mustache escape and tags untouched', async () => {
      const { escape, tags } = Mustache;
      await render('{{v}}', { v: '<' }, 'none');
      await render('{{v}}', { v: '<' }, 'html');
      expect(Mustache.escape).toBe(escape);
      expect(Mustache.tags).toBe(tags);
      expect(Mustache.render('{{v}}', { v: '<' })).toBe('&lt;');
    });
  });

  describe('faulty templates', () => {
    it.each([
      ['an unterminated tag', 'Hello {{name', /Unclosed tag/],
      ['an unclosed section', '{{#items}}x', /Unclosed section "items"/],
      ['an unopened section', 'x{{/items}}', /Unopened section "items"/],
      ['mismatched sections', '{{#a}}{{/b}}', /Unclosed section "a"/],
      ['an unterminated triple mustache', '{{{raw}}', /Unclosed tag/],
      ['invalid delimiters', '{{=<% =}}', /Invalid tags/],
    ])('rejects %s as invalid_input', async (_label, template, message) => {
      const error = await expectToolError(render(template, {}), 'invalid_input');
      expect(error.message).toMatch(message);
    });

    it('rejects partials, even nested in a section', async () => {
      const error = await expectToolError(render('{{#a}}{{> footer}}{{/a}}', {}), 'invalid_input');
      expect(error.message).toMatch(/partial "footer".*not supported/);
    });
  });

  describe('limits', () => {
    it('stops output beyond maxOutputBytes as logic_error', async () => {
      const small = new TextTemplateTool({ maxOutputBytes: 100 });
      const error = await expectToolError(runTool(small, { template: '{{#rows}}{{text}}{{/rows}}', data: { rows: Array(20).fill({ text: 'ten chars!' }) } }), 'logic_error');
      expect(error.message).toMatch(/exceeded 100 bytes/);
    });

    it('counts the JSON-escaped size of the result', async () => {
      const small = new TextTemplateTool({ maxOutputBytes: 100 });
      // 50 characters, but each control character takes six bytes as JSON.
      await expectToolError(runTool(small, { template: '{{v}}', data: { v: '\u0001'.repeat(50) } }), 'logic_error');
    });

    it('stops nested sections over long lists even when they write nothing', async () => {
      const bounded = new TextTemplateTool({ maxRenderSteps: 10_000 });
      const template = '{{#a}}{{#a}}{{#a}}{{#a}}{{/a}}{{/a}}{{/a}}{{/a}}';
      const error = await expectToolError(runTool(bounded, { template, data: { a: Array.from({ length: 100 }, (_, i) => i) } }), 'logic_error');
      expect(error.message).toMatch(/exceeded 10000 steps/);
    });

    it('does not render for an aborted task', async () => {
      const controller = new AbortController();
      const reason = new ToolError('timeout', 'deadline passed');
      controller.abort(reason);
      await expect(runTool(tool, { template: 'x', data: {} }, { signal: controller.signal })).rejects.toBe(reason);
    });
  });

  describe('input validation', () => {
    it.each([
      ['a missing template', { data: {} }, 'template'],
      ['an empty template', { template: '', data: {} }, 'template'],
      ['an over-long template', { template: 'x'.repeat(100_001), data: {} }, 'template'],
      ['missing data', { template: 'x' }, 'data'],
      ['data that is an array', { template: 'x', data: [1] }, 'data'],
      ['data that is a string', { template: 'x', data: 'text' }, 'data'],
      ['an unknown escape', { template: 'x', data: {}, escape: 'js' }, 'escape'],
      ['an unknown field', { template: 'x', data: {}, partials: {} }, 'partials'],
    ])('rejects %s', (_label, input, field) => {
      expect(inputProblems(tool, input)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${field}: `))]));
    });
  });
});
