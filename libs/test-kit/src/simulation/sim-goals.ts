import { TaskGraph, TaskNode } from '@agentos/contracts';
import { SimWorld } from './sim-world';

/**
 * The learning benchmark's world: a fetcher that times out now and then (a retry fixes it), two
 * worker types offering `extract`, one cheap and flaky (`bulk`), one dearer and reliable
 * (`precise`), and a strict parser that cannot read legacy data (only a plan with the lenient
 * parser gets through: a replan).
 */
export function learningWorld(seed: number): SimWorld {
  return {
    seed,
    workerTypes: {
      analyst: {
        'parse.strict': { cost: 0.4, rejectsFormat: 'legacy' },
        'parse.lenient': { cost: 0.6 },
        report: { cost: 0.3 },
      },
      bulk: { extract: { cost: 1.0, transientRate: 0.35 } },
      fetcher: { fetch: { cost: 0.5, firstAttemptTimeoutRate: 0.15 } },
      precise: { extract: { cost: 1.2, transientRate: 0.02 } },
    },
  };
}

/** A family of goals: how its text reads, and what its data looks like. */
export interface GoalFamily {
  readonly name: string;
  /** The format of the family's data (the strict parser rejects `legacy`). */
  readonly format: string;
  /** Recognises a goal of the family and takes out its data source. */
  readonly match: RegExp;
  text(random: () => number): string;
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const between = (low: number, high: number, random: () => number): number => low + Math.floor(random() * (high - low + 1));

/** Four families; region and team names are plain words, so each of their values is a template of its own. */
export const GOAL_FAMILIES: readonly GoalFamily[] = [
  {
    name: 'orders',
    format: 'csv',
    match: /^Import orders from (\S+) and report the total$/,
    text: (random) => `Import orders from data/orders-${between(1, 12, random)}.csv and report the total`,
  },
  {
    name: 'ledger',
    format: 'legacy',
    match: /^Import the legacy ledger (\S+) and report the balance$/,
    text: (random) => `Import the legacy ledger ledgers/${between(2015, 2026, random)}.dat and report the balance`,
  },
  {
    name: 'tickets',
    format: 'json',
    match: /^Summarise support tickets for the \w+ team from (\S+)$/,
    text: (random) => `Summarise support tickets for the ${pick(['north', 'south', 'east'], random)} team from queue-${between(1, 9, random)}`,
  },
  {
    name: 'invoices',
    format: 'legacy',
    match: /^Audit the \w+ region invoices in (\S+)$/,
    text: (random) => `Audit the ${pick(['emea', 'apac'], random)} region invoices in archive/${between(2019, 2026, random)}-invoices.dat`,
  },
];

export function familyOf(goalText: string): { family: GoalFamily; source: string } | undefined {
  for (const family of GOAL_FAMILIES) {
    const found = family.match.exec(goalText);
    if (found) return { family, source: found[1]! };
  }
  return undefined;
}

export type ParseTool = 'parse.strict' | 'parse.lenient';

/** The four-step plan of every family: fetch, extract, parse, report. */
export function familyPlan(goalText: string, choice: { parse: ParseTool; extractOn: string; timeoutMs: number }): TaskGraph {
  const matched = familyOf(goalText);
  if (!matched) throw new Error(`not a goal of the simulated families: ${goalText}`);
  const { family, source } = matched;
  const task = (id: string, workerType: string, tool: string, input: TaskNode['input'], dependsOn?: string[]): TaskNode => ({
    id,
    workerType,
    tool,
    input,
    timeoutMs: choice.timeoutMs,
    ...(dependsOn ? { dependsOn } : {}),
  });
  return {
    tasks: [
      task('fetch', 'fetcher', 'fetch', { source }),
      task('extract', choice.extractOn, 'extract', { source }, ['fetch']),
      task('parse', 'analyst', choice.parse, { format: family.format }, ['extract']),
      task('report', 'analyst', 'report', { note: `report for ${source}` }, ['parse']),
    ],
    outputs: ['report'],
  };
}

/**
 * What an oracle that knows the world submits: the cheaper strict parser where the data allows
 * it and the lenient one for legacy data, and extract on the type with the lower cost per success
 * (`precise`: 1.2 / 0.98 against `bulk`'s 1.0 / 0.65).
 */
export function oraclePlan(goalText: string, timeoutMs: number): TaskGraph {
  const matched = familyOf(goalText);
  if (!matched) throw new Error(`not a goal of the simulated families: ${goalText}`);
  return familyPlan(goalText, { parse: matched.family.format === 'legacy' ? 'parse.lenient' : 'parse.strict', extractOn: 'precise', timeoutMs });
}

/** `count` goal texts drawn from the families, reproducible from `random`. */
export function drawGoals(count: number, random: () => number): string[] {
  return Array.from({ length: count }, () => pick(GOAL_FAMILIES, random).text(random));
}
