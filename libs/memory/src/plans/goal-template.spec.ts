import { TaskGraph } from '@agentos/contracts';
import { fillPlanTemplate, goalTemplate, TemplateFill } from './goal-template';

const SALES = 'Build the sales report for region north from data/sales-2024.csv with threshold 250';

// read -> filter -> report, as a planner might have written it for SALES
const salesPlan: TaskGraph = {
  tasks: [
    { id: 'read', workerType: 'io', tool: 'file.read', input: { path: 'data/sales-2024.csv' }, timeoutMs: 250 },
    {
      id: 'filter',
      workerType: 'logic',
      tool: 'jsonata',
      input: { expression: 'rows[amount > 250]', minimum: 250, rows: { $ref: 'read.rows' }, keep: ['250', 12500, true, null] },
      dependsOn: ['read'],
      maxAttempts: 250,
    },
    { id: 'report', workerType: 'logic', tool: 'text.template', input: { title: 'Sales over 250 (source: data/sales-2024.csv)', data: { $ref: 'filter' } } },
  ],
  outputs: ['report'],
};

function filled(plan: TaskGraph, fromGoal: string, toGoal: string): TaskGraph {
  const result = fillPlanTemplate(plan, goalTemplate(fromGoal), goalTemplate(toGoal));
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.plan;
}

function refusal(plan: TaskGraph, fromGoal: string, toGoal: string): string {
  const result: TemplateFill = fillPlanTemplate(plan, goalTemplate(fromGoal), goalTemplate(toGoal));
  if (result.ok) throw new Error('expected a refusal');
  return result.reason;
}

const single = (input: TaskGraph['tasks'][number]['input']): TaskGraph => ({ tasks: [{ id: 't', workerType: 'logic', tool: 'echo', input }] });

describe('goalTemplate', () => {
  it('takes out paths and numbers, keeping plain words in the normalised key', () => {
    expect(goalTemplate(SALES)).toEqual({
      key: 'build the sales report for region north from ⟨0⟩ with threshold ⟨1⟩',
      parameters: ['data/sales-2024.csv', '250'],
    });
  });

  it.each([
    ['Sum -3 and 2.5, then add 1e3.', ['-3', '2.5', '1e3']],
    ["Greet 'Ada Lovelace' and \"Grace\"", ['Ada Lovelace', 'Grace']],
    ['Tag “North Sea” and ‘q1’', ['North Sea', 'q1']],
    ['Fetch https://example.com/a?b=1, then mail ops@example.com.', ['https://example.com/a?b=1', 'ops@example.com']],
    ['Load (report.PDF) and C:\\data\\x and /tmp/out', ['report.PDF', 'C:\\data\\x', '/tmp/out']],
    ['Between 2024-01-31 and 2024-02-01T10:00:00Z', ['2024-01-31', '2024-02-01T10:00:00Z']],
    ['Restock SKU-1234 for Q3 at 25% off', ['SKU-1234', 'Q3', '25%']],
  ])('finds the parameters of %p', (goal, parameters) => {
    expect(goalTemplate(goal).parameters).toEqual(parameters);
  });

  it('treats plain words, apostrophes and abbreviations as text', () => {
    expect(goalTemplate("Summarise the region's sales, e.g. totals, for the users' team").parameters).toEqual([]);
    expect(goalTemplate('Compare north and south').key).toBe('compare north and south');
    expect(goalTemplate('Join with " " or "--"')).toEqual({ key: 'join with or', parameters: [] });
  });

  it('gives one key to goals that differ only in parameters, case and punctuation', () => {
    const other = goalTemplate('build the Sales report for region north from "archive/s 2025.csv" with threshold 300.5!');
    expect(other.key).toBe(goalTemplate(SALES).key);
    expect(other.parameters).toEqual(['archive/s 2025.csv', '300.5']);
  });

  it('gives another key when a plain word differs', () => {
    expect(goalTemplate(SALES.replace('north', 'south')).key).not.toBe(goalTemplate(SALES).key);
    expect(goalTemplate(SALES.replace('sales report', 'sales summary')).key).not.toBe(goalTemplate(SALES).key);
  });

  it('makes a quoted word a parameter', () => {
    const north = goalTemplate("Report for region 'north'");
    const south = goalTemplate("Report for region 'South'");
    expect(north.key).toBe('report for region ⟨0⟩');
    expect(south.key).toBe(north.key);
    expect(south.parameters).toEqual(['South']);
  });

  it('numbers placeholders in order, one per occurrence', () => {
    expect(goalTemplate('add 5 to 5 then x.csv')).toEqual({ key: 'add ⟨0⟩ to ⟨1⟩ then ⟨2⟩', parameters: ['5', '5', 'x.csv'] });
    expect(goalTemplate('')).toEqual({ key: '', parameters: [] });
  });
});

describe('fillPlanTemplate', () => {
  const toGoal = 'Build the sales report for region north from data/sales-2025.csv with threshold 300';

  it('substitutes whole strings, numbers and substrings, and nothing else', () => {
    const result = fillPlanTemplate(salesPlan, goalTemplate(SALES), goalTemplate(toGoal));
    expect(result).toEqual({
      ok: true,
      substitutions: [
        { from: 'data/sales-2024.csv', to: 'data/sales-2025.csv' },
        { from: '250', to: '300' },
      ],
      plan: {
        tasks: [
          { id: 'read', workerType: 'io', tool: 'file.read', input: { path: 'data/sales-2025.csv' }, timeoutMs: 250 },
          {
            id: 'filter',
            workerType: 'logic',
            tool: 'jsonata',
            input: { expression: 'rows[amount > 300]', minimum: 300, rows: { $ref: 'read.rows' }, keep: ['300', 12500, true, null] },
            dependsOn: ['read'],
            maxAttempts: 250,
          },
          { id: 'report', workerType: 'logic', tool: 'text.template', input: { title: 'Sales over 300 (source: data/sales-2025.csv)', data: { $ref: 'filter' } } },
        ],
        outputs: ['report'],
      },
    });
  });

  it('does not mutate the input plan and shares no arrays or objects with it', () => {
    const before = JSON.parse(JSON.stringify(salesPlan)) as TaskGraph;
    const plan = filled(salesPlan, SALES, toGoal);
    expect(salesPlan).toEqual(before);
    expect(plan.outputs).not.toBe(salesPlan.outputs);
    expect(plan.tasks[1].dependsOn).not.toBe(salesPlan.tasks[1].dependsOn);
    expect(plan.tasks[1].input).not.toBe(salesPlan.tasks[1].input);
    expect(plan.tasks[1].input?.['rows']).not.toBe(salesPlan.tasks[1].input?.['rows']);
  });

  it('never touches $ref objects, ids, tools, worker types, edges or outputs', () => {
    const plan: TaskGraph = {
      tasks: [
        { id: 'q3', workerType: 'q3', tool: 'q3', input: { quarter: 'q3' } },
        { id: 'use', workerType: 'logic', tool: 'echo', input: { a: { $ref: 'q3' }, b: { $ref: 'q3.q3' } }, dependsOn: ['q3'] },
      ],
      outputs: ['q3'],
    };
    const result = filled(plan, 'Summarise q3', 'Summarise q4');
    expect(result).toEqual({ ...plan, tasks: [{ ...plan.tasks[0], input: { quarter: 'q4' } }, plan.tasks[1]] });
  });

  it('replaces longest values first and never re-replaces inserted text', () => {
    const plan = single({ text: 'copy a.csv to b.csv' });
    expect(filled(plan, 'Copy a.csv to b.csv', 'Copy b.csv to a.csv').tasks[0].input).toEqual({ text: 'copy b.csv to a.csv' });
    const swap = single({ x: 1, y: 2, label: '1 then 2' });
    expect(filled(swap, 'Use 1 and 2', 'Use 2 and 1').tasks[0].input).toEqual({ x: 2, y: 1, label: '2 then 1' });
  });

  it('matches values only at token boundaries', () => {
    const plan = single({ sql: 'SELECT * WHERE n > 5 AND id = 12500 AND ratio = 1.5 AND t = 5ms', limit: 5 });
    expect(filled(plan, 'Top 5 rows', 'Top 10 rows').tasks[0].input).toEqual({ sql: 'SELECT * WHERE n > 10 AND id = 12500 AND ratio = 1.5 AND t = 5ms', limit: 10 });
  });

  it('keeps parameters that do not change, even when the plan never mentions them', () => {
    const plan = single({ path: 'data/a.csv' });
    expect(filled(plan, 'Load data/a.csv with limit 7', 'load data/a.csv with limit 7').tasks[0].input).toEqual({ path: 'data/a.csv' });
    expect(filled(plan, 'Load data/a.csv with limit 7', 'Load data/b.csv with limit 7').tasks[0].input).toEqual({ path: 'data/b.csv' });
  });

  it('accepts repeated parameters that change alike', () => {
    const plan = single({ a: 5, b: 'x5' });
    expect(filled(single({ a: 5 }), 'add 5 to 5', 'add 6 to 6').tasks[0].input).toEqual({ a: 6 });
    expect(filled(plan, 'add 5 to 5', 'add 6 to 6').tasks[0].input).toEqual({ a: 6, b: 'x5' });
  });

  describe('refuses', () => {
    it('goals of different templates', () => {
      expect(refusal(salesPlan, SALES, SALES.replace('north', 'south'))).toMatch(/different templates/);
    });

    it('templates with different parameter counts under one key', () => {
      const result = fillPlanTemplate(salesPlan, { key: 'k ⟨0⟩', parameters: ['1'] }, { key: 'k ⟨0⟩', parameters: ['1', '2'] });
      expect(result).toEqual({ ok: false, reason: expect.stringMatching(/1 and 2 parameters/) });
    });

    it('equal old values that get different new values', () => {
      expect(refusal(single({ a: 5 }), 'add 5 to 5', 'add 6 to 7')).toMatch(/both '5' but become '6' and '7'/);
    });

    it('a changing value that occurs nowhere in the inputs', () => {
      const plan = single({ quarter: 'Q3' });
      expect(refusal(plan, 'Summarise q3', 'Summarise q4')).toMatch(/changes from 'q3' to 'q4' but occurs in no task input/);
      expect(refusal(single({ n: 12500 }), 'Top 5', 'Top 6')).toMatch(/occurs in no task input/);
    });

    it('a changing value that occurs inside another parameter', () => {
      const plan = single({ path: 'data/sales-2024.csv', year: 2024 });
      expect(refusal(plan, 'Report 2024 from data/sales-2024.csv', 'Report 2025 from data/sales-2025.csv')).toMatch(/'2024' also occurs inside parameter 'data\/sales-2024.csv'/);
      expect(refusal(plan, 'Report 2024 from data/sales-2024.csv', 'Report 2025 from data/sales-2024.csv')).toMatch(/ambiguous/);
    });

    it('a number in the plan whose new value is not a number', () => {
      expect(refusal(single({ n: 5, s: '5' }), 'Use 5', 'Use 5b')).toMatch(/number 5 in the plan but its new value '5b' is not a number/);
      expect(filled(single({ s: '5' }), 'Use 5', 'Use 5b').tasks[0].input).toEqual({ s: '5b' });
    });

    it('parameters with one numeric value that change differently', () => {
      expect(refusal(single({ n: 5, a: '5', b: '5.0' }), 'Use 5 and 5.0', 'Use 6 and 5.0')).toMatch(/numeric value 5 get different new values/);
    });

    it('a changing value in an object key', () => {
      expect(refusal(single({ byYear: { 2024: 'x' }, year: 2024 }), 'Report 2024', 'Report 2025')).toMatch(/input key '2024'/);
    });
  });
});
