import { isRefObject, JsonObject, JsonValue, TaskGraph, TaskNode } from '@agentos/contracts';
import { normalizeGoalText } from '../embedding/normalize-goal-text';

/** A goal with its parameters taken out: goals with the same key differ only in parameter values. */
export interface GoalTemplate {
  /** normalised goal text with each parameter replaced by a placeholder ⟨0⟩, ⟨1⟩… in order of appearance */
  readonly key: string;
  /** parameter values as written in the goal, in order */
  readonly parameters: readonly string[];
}

/** A stored plan re-targeted at another goal of the same template, or why that is not safe. */
export type TemplateFill =
  | { readonly ok: true; readonly plan: TaskGraph; readonly substitutions: ReadonlyArray<{ from: string; to: string }> }
  | { readonly ok: false; readonly reason: string };

// ---------------------------------------------------------------------------------------------
// Goal text -> template

/** A quoted span not glued to a word, so the apostrophes of "region's" or "users'" open nothing. */
const QUOTED = /(?<![\p{L}\p{M}\p{N}])(?:"([^"]+)"|'([^']+)'|“([^”]+)”|‘([^’]+)’)(?![\p{L}\p{M}\p{N}])/gu;
const OPENERS = '([{<«"\'“‘';
const TRAILING = '.,;:!?…"\'”’';
const CLOSER_TO_OPENER: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{', '>': '<', '»': '«' };
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
const HAS_DIGIT = /\p{Nd}/u;
const URL = /^https?:\/\/\S+$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const HAS_PATH_SEPARATOR = /[/\\]/;
const HAS_EXTENSION = /^\S*[^\s.]\.[\p{L}\p{N}]{1,10}$/u;
/** `e.g`, `i.e`, `U.S` once the trailing dot is stripped: look like `x.y` but are words. */
const ABBREVIATION = /^(?:\p{L}\.)+\p{L}$/u;

/**
 * Splits a goal into a template key and parameter values, so that `Build the report for 2024
 * from data/a.csv` and `build the report for 2025 from data/b.csv!` share the key
 * `build the report for ⟨0⟩ from ⟨1⟩`. Parameters, kept exactly as written:
 * - quoted spans `'…'`, `"…"`, `“…”`, `‘…’` holding a letter or digit (the value without
 *   quotes, spaces allowed);
 * - whitespace-separated tokens, less surrounding brackets and sentence punctuation, that are
 *   URLs, e-mail addresses, paths (containing `/` or `\`, or ending in a dotted extension like
 *   `x.csv`), or that contain any digit: numbers (`-3`, `2.5`), ISO dates, `q3`, `sku-1234`,
 *   and also `25%`, `$40`, `10:30`, `1,000`.
 * Plain words are never parameters, so `region north` and `region south` give different keys
 * (quote them, `region 'north'`, to make them one). Since words select the template, this errs
 * toward a miss rather than reusing a plan for a goal that means something else. The text
 * between parameters is normalised as by `normalizeGoalText`.
 */
export function goalTemplate(goalText: string): GoalTemplate {
  const parameters: string[] = [];
  const parts: string[] = [];
  let literal = '';
  const addParameter = (value: string): void => {
    const text = normalizeGoalText(literal);
    if (text) parts.push(text);
    literal = '';
    parts.push(`⟨${parameters.length}⟩`);
    parameters.push(value);
  };
  const scanUnquoted = (text: string): void => {
    for (const token of text.split(/(\s+)/u)) {
      const { start, end } = unwrap(token);
      const core = token.slice(start, end);
      if (!isParameterToken(core)) {
        literal += token;
        continue;
      }
      literal += token.slice(0, start);
      addParameter(core);
      literal += token.slice(end);
    }
  };

  let done = 0;
  for (const match of goalText.matchAll(QUOTED)) {
    const value = match[1] ?? match[2] ?? match[3] ?? match[4];
    // A value without a letter or digit (`" "`, `"-"`) would match all over a plan.
    if (!HAS_WORD_CHAR.test(value)) continue;
    scanUnquoted(goalText.slice(done, match.index));
    addParameter(value);
    done = match.index + match[0].length;
  }
  scanUnquoted(goalText.slice(done));
  const tail = normalizeGoalText(literal);
  if (tail) parts.push(tail);
  return { key: parts.join(' '), parameters };
}

/** The token less leading openers and trailing punctuation; a closing bracket stays when its opener is inside (`f(x)`). */
function unwrap(token: string): { start: number; end: number } {
  let start = 0;
  let end = token.length;
  while (start < end && OPENERS.includes(token[start])) start += 1;
  while (end > start) {
    const last = token[end - 1];
    const opener = CLOSER_TO_OPENER[last];
    const strip = TRAILING.includes(last) || (opener !== undefined && !token.slice(start, end - 1).includes(opener));
    if (!strip) break;
    end -= 1;
  }
  return { start, end };
}

function isParameterToken(core: string): boolean {
  if (!HAS_WORD_CHAR.test(core)) return false;
  return HAS_DIGIT.test(core) || URL.test(core) || EMAIL.test(core) || HAS_PATH_SEPARATOR.test(core) || (HAS_EXTENSION.test(core) && !ABBREVIATION.test(core));
}

// ---------------------------------------------------------------------------------------------
// Template + old plan + new values -> new plan

interface Change {
  readonly index: number;
  readonly from: string;
  readonly to: string;
}

type NumberTarget = { readonly to: number; readonly olds: readonly string[] } | { readonly problem: string; readonly olds: readonly string[] };

const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Re-targets `plan`, made for a goal of template `from`, at a goal of the same template with
 * the values of `to`, without asking a planner. In every task input (deeply):
 * - in each string, each changing old value is replaced by its new value in one pass, longest
 *   value first, so inserted text is never replaced again. An occurrence counts only at a token
 *   boundary: a value that starts (ends) with a letter or digit must not be preceded (followed)
 *   by one, and a number not by a decimal part either, so `250` is not found in `12500`,
 *   `250ms` or `1.250`; a string equal to the value is the simplest case;
 * - each JSON number equal to a changing numeric old value becomes the new value as a number.
 * Object keys, `{ "$ref": … }` objects, task ids, tools, worker types, `dependsOn`, `outputs`,
 * timeouts and attempt limits are never changed. Unchanged parameters need nothing.
 * Refuses (`ok: false`, with the reason) when the keys or parameter counts differ; when equal
 * old values get different new values; when a changing value occurs (at a boundary) inside
 * another old value, or in an input's object key; when a changing value does not occur in any
 * input, since the plan may hold it in a derived form (`Q3` for `q3`, `2.5` for `250%`) that
 * would keep the old meaning; when a number that changes must become a non-number, or two
 * parameters with the same numeric value change differently. A refusal means "plan afresh".
 * Returns a new graph; `plan` is not mutated. `substitutions` lists the changing values in
 * parameter order.
 */
export function fillPlanTemplate(plan: TaskGraph, from: GoalTemplate, to: GoalTemplate): TemplateFill {
  if (from.key !== to.key) return refuse(`the goals have different templates: '${from.key}' and '${to.key}'`);
  if (from.parameters.length !== to.parameters.length) {
    return refuse(`the goals have ${from.parameters.length} and ${to.parameters.length} parameters for the same template`);
  }
  const changesOrReason = changesBetween(from.parameters, to.parameters);
  if (typeof changesOrReason === 'string') return refuse(changesOrReason);
  const changes = changesOrReason;
  const oldValues = [...new Set(from.parameters)];
  for (const change of changes) {
    const inside = oldValues.find((other) => other !== change.from && boundedMatcher([change.from], 'u').test(other));
    if (inside !== undefined) {
      return refuse(`parameter ⟨${change.index}⟩ '${change.from}' also occurs inside parameter '${inside}', so its occurrences in the plan are ambiguous`);
    }
  }

  const rewriter = inputRewriter(changes, numberTargets(from.parameters, to.parameters));
  const tasks = plan.tasks.map((task): TaskNode => ({
    ...task,
    ...(task.input ? { input: rewriter.rewriteObject(task.input) } : {}),
    ...(task.dependsOn ? { dependsOn: [...task.dependsOn] } : {}),
  }));
  if (rewriter.problems.length > 0) return refuse(rewriter.problems[0]);
  const missing = changes.find((change) => rewriter.hits.get(change.from) === 0);
  if (missing) {
    return refuse(
      `parameter ⟨${missing.index}⟩ changes from '${missing.from}' to '${missing.to}' but occurs in no task input; the plan may use it in a derived form`,
    );
  }
  return {
    ok: true,
    plan: { tasks, ...(plan.outputs ? { outputs: [...plan.outputs] } : {}) },
    substitutions: changes.map((change) => ({ from: change.from, to: change.to })),
  };
}

function refuse(reason: string): TemplateFill {
  return { ok: false, reason };
}

/** One change per distinct old value that gets a new one; a reason when an old value would get two. */
function changesBetween(olds: readonly string[], news: readonly string[]): Change[] | string {
  const firstIndex = new Map<string, number>();
  const changes: Change[] = [];
  for (let index = 0; index < olds.length; index += 1) {
    const [old, next] = [olds[index], news[index]];
    const earlier = firstIndex.get(old);
    if (earlier !== undefined) {
      if (news[earlier] !== next) {
        return `parameters ⟨${earlier}⟩ and ⟨${index}⟩ are both '${old}' but become '${news[earlier]}' and '${next}'`;
      }
      continue;
    }
    firstIndex.set(old, index);
    if (old !== next) changes.push({ index, from: old, to: next });
  }
  return changes;
}

interface InputRewriter {
  rewriteObject(value: JsonObject): JsonObject;
  /** Occurrences found so far per changing old value. */
  readonly hits: ReadonlyMap<string, number>;
  /** Reasons to refuse found so far. */
  readonly problems: readonly string[];
}

/** Rewrites task inputs for `changes`, counting what it replaced and noting what it could not. */
function inputRewriter(changes: readonly Change[], numbers: ReadonlyMap<number, NumberTarget>): InputRewriter {
  const hits = new Map<string, number>(changes.map((change) => [change.from, 0]));
  const newValueOf = new Map(changes.map((change) => [change.from, change.to]));
  const problems: string[] = [];
  const count = (old: string): void => {
    const seen = hits.get(old);
    if (seen !== undefined) hits.set(old, seen + 1);
  };
  const replacer = changes.length > 0 ? boundedMatcher([...newValueOf.keys()], 'gu') : undefined;
  const detector = changes.length > 0 ? boundedMatcher([...newValueOf.keys()], 'u') : undefined;

  const rewriteString = (text: string): string =>
    replacer
      ? text.replace(replacer, (old) => {
          count(old);
          return newValueOf.get(old)!;
        })
      : text;
  const rewriteNumber = (value: number): number => {
    const target = numbers.get(value);
    if (!target || !target.olds.some((old) => newValueOf.has(old))) return value;
    target.olds.forEach(count);
    if ('problem' in target) {
      problems.push(target.problem);
      return value;
    }
    return target.to;
  };
  const rewriteValue = (value: JsonValue): JsonValue => {
    if (typeof value === 'string') return rewriteString(value);
    if (typeof value === 'number') return rewriteNumber(value);
    if (value === null || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return value.map(rewriteValue);
    return rewriteObject(value);
  };
  const rewriteObject = (value: JsonObject): JsonObject => {
    if (isRefObject(value)) return { ...value };
    // fromEntries defines own properties, so a "__proto__" key stays data.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        if (detector?.test(key)) problems.push(`the input key '${key}' contains a parameter that changes`);
        return [key, rewriteValue(item)];
      }),
    );
  };
  return { rewriteObject, hits, problems };
}

/** What a JSON number equal to a numeric old value becomes, per value (itself when its parameters keep it). */
function numberTargets(olds: readonly string[], news: readonly string[]): Map<number, NumberTarget> {
  const targets = new Map<number, NumberTarget>();
  olds.forEach((old, index) => {
    if (!NUMBER.test(old)) return;
    const value = Number(old);
    const next = news[index];
    const known = targets.get(value);
    const sharers = [...(known?.olds ?? []), old];
    if (known && 'problem' in known) {
      targets.set(value, { problem: known.problem, olds: sharers });
    } else if (!NUMBER.test(next)) {
      targets.set(value, { problem: `parameter ⟨${index}⟩ is the number ${old} in the plan but its new value '${next}' is not a number`, olds: sharers });
    } else if (known && known.to !== Number(next)) {
      targets.set(value, { problem: `parameters with the numeric value ${value} get different new values`, olds: sharers });
    } else {
      targets.set(value, { to: Number(next), olds: sharers });
    }
  });
  return targets;
}

/**
 * A regex matching any of `values` at token boundaries, longest first: no letter or digit may
 * touch an edge that is itself a letter or digit, nor a decimal part a numeric edge.
 */
function boundedMatcher(values: readonly string[], flags: string): RegExp {
  const alternatives = [...values]
    .sort((a, b) => b.length - a.length)
    .map((value) => {
      const before = /^\p{N}/u.test(value) ? '(?<![\\p{L}\\p{M}\\p{N}]|\\p{N}[.,])' : /^[\p{L}\p{M}]/u.test(value) ? '(?<![\\p{L}\\p{M}\\p{N}])' : '';
      const after = /\p{N}$/u.test(value) ? '(?![\\p{L}\\p{M}\\p{N}]|[.,]\\p{N})' : /[\p{L}\p{M}]$/u.test(value) ? '(?![\\p{L}\\p{M}\\p{N}])' : '';
      return `${before}${escapeRegExp(value)}${after}`;
    });
  return new RegExp(alternatives.join('|'), flags);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
