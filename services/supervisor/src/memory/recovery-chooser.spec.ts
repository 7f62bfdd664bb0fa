import { JsonObject, TaskError } from '@agentos/contracts';
import { RecoveryStrategy, RunMemory } from '@agentos/memory';
import { seededRandom } from '@agentos/runtime';
import { LearnedStats } from './learned-stats';
import { RecoveryAction, RecoveryChooser, RecoveryQuestion } from './recovery-chooser';
import { recoveryOutcome, runMemory, singleAttemptTasks } from './testing/run-memory.builders';
import { WorkerAssigner } from './worker-assigner';

const TOOL = 'http.fetch';
const MIN_EVIDENCE = 5;

const transient: TaskError = { code: 'transient', message: 'connection reset', retriable: true };
const invalidInput: TaskError = { code: 'invalid_input', message: 'bad url', retriable: false };

/** `recovered` of `tries` recoveries of a failure code on TOOL by one strategy, each costing `cost`. */
function recoveries(failureCode: string, strategy: RecoveryStrategy, recovered: number, tries: number, cost = 1): RunMemory {
  return runMemory(`${failureCode}-${strategy}`, {
    recoveries: Array.from({ length: tries }, (_, i) => recoveryOutcome(`t${i}`, TOOL, failureCode, strategy, i < recovered, { workerType: 'web', cost })),
  });
}

/** `successes` of `attempts` single-attempt tasks of TOOL on a worker type. */
function toolRecord(workerType: string, successes: number, attempts: number): RunMemory {
  return runMemory(`tool-${workerType}`, { tasks: singleAttemptTasks(TOOL, workerType, successes, attempts) });
}

function chooserOver(seed: number, ...runs: RunMemory[]): RecoveryChooser {
  const stats = new LearnedStats();
  for (const memory of runs) stats.add(memory);
  const random = seededRandom(seed);
  return new RecoveryChooser(stats, new WorkerAssigner(stats, random), random, MIN_EVIDENCE);
}

function question(extra: Partial<RecoveryQuestion> = {}): RecoveryQuestion {
  return { error: transient, tool: TOOL, workerType: 'web', policy: 'retry', canRetry: true, canReplan: true, alternatives: ['proxy', 'edge'], ...extra };
}

function strategiesWeighed(decision: JsonObject | undefined): string[] {
  return ((decision?.['arms'] ?? []) as JsonObject[]).map((arm) => arm['strategy'] as string);
}

/** Evidence that retrying rarely recovers `transient` on TOOL and rerouting nearly always does. */
const retryRarelyRerouteOften = [recoveries('transient', 'retry', 1, 20), recoveries('transient', 'reroute', 19, 20)];

describe('RecoveryChooser', () => {
  it('never overrides a policy decision to fail the goal, whatever memory has seen', () => {
    const chooser = chooserOver(1, recoveries('transient', 'fail_goal', 0, 50), recoveries('transient', 'retry', 50, 50), recoveries('transient', 'reroute', 50, 50));
    for (let i = 0; i < 100; i++) expect(chooser.choose(question({ policy: 'fail_goal' }))).toEqual({ action: 'fail_goal' });
  });

  it(`lets the policy decide alone until memory has seen its strategy ${MIN_EVIDENCE} times here`, () => {
    const fewTries = chooserOver(2, recoveries('transient', 'retry', 0, MIN_EVIDENCE - 1), recoveries('transient', 'reroute', 19, 20));
    for (let i = 0; i < 50; i++) expect(fewTries.choose(question())).toEqual({ action: 'retry' });

    const enoughTries = chooserOver(2, recoveries('transient', 'retry', 0, MIN_EVIDENCE), recoveries('transient', 'reroute', 19, 20));
    expect(enoughTries.choose(question()).decision).toBeDefined();
  });

  it('counts only the evidence of this failure code and tool', () => {
    // Plenty of evidence, but for another failure code: the policy still decides alone.
    const chooser = chooserOver(3, recoveries('timeout', 'retry', 1, 20), recoveries('timeout', 'reroute', 19, 20));
    expect(chooser.choose(question())).toEqual({ action: 'retry' });
  });

  describe('weighs only the strategies that can be carried out', () => {
    const evidenceForEvery = [
      recoveries('transient', 'retry', 10, 10),
      recoveries('transient', 'reroute', 10, 10),
      recoveries('transient', 'replan', 10, 10),
      recoveries('invalid_input', 'replan', 10, 10),
      recoveries('invalid_input', 'retry', 10, 10),
      recoveries('invalid_input', 'reroute', 10, 10),
    ];
    it.each<[string, Partial<RecoveryQuestion>, RecoveryAction[]]>([
      ['all of them when attempts and replans remain', {}, ['retry', 'reroute', 'replan']],
      ['no retry or reroute when attempts are spent', { policy: 'replan', canRetry: false }, ['replan']],
      ['no reroute when no other worker type offers the tool', { alternatives: [] }, ['retry', 'replan']],
      ['no replan without a planner or replans left', { canReplan: false }, ['retry', 'reroute']],
      ['no retry of an error that says retrying cannot help', { policy: 'replan', error: invalidInput }, ['replan', 'reroute']],
    ])('%s', (_name, extra, expected) => {
      const choice = chooserOver(4, ...evidenceForEvery).choose(question(extra));
      if (expected.length < 2) {
        expect(choice).toEqual({ action: expected[0] });
      } else {
        expect(strategiesWeighed(choice.decision).sort()).toEqual([...expected].sort());
        expect(expected).toContain(choice.action);
      }
    });

    it('the policy’s own strategy always among them', () => {
      const choice = chooserOver(5, ...evidenceForEvery).choose(question({ policy: 'replan', canReplan: false, error: invalidInput, alternatives: [] }));
      expect(choice).toEqual({ action: 'replan' });
    });
  });

  it('reroutes most of the time when retrying rarely recovered and rerouting nearly always did', () => {
    const chooser = chooserOver(6, ...retryRarelyRerouteOften, toolRecord('proxy', 95, 100), toolRecord('edge', 10, 100));
    const choices = Array.from({ length: 200 }, () => chooser.choose(question({ canReplan: false })));
    const reroutes = choices.filter((choice) => choice.action === 'reroute');
    expect(reroutes.length).toBeGreaterThanOrEqual(180);
    // The type rerouted to is another that offers the tool, the better one by what memory knows of it.
    for (const choice of reroutes) expect(['proxy', 'edge']).toContain(choice.workerType);
    expect(reroutes.filter((choice) => choice.workerType === 'proxy').length).toBeGreaterThanOrEqual(reroutes.length * 0.9);
    for (const choice of choices.filter((c) => c.action !== 'reroute')) expect(choice.workerType).toBeUndefined();
  });

  it('keeps the policy’s strategy when the evidence agrees with it', () => {
    const chooser = chooserOver(7, recoveries('transient', 'retry', 19, 20), recoveries('transient', 'reroute', 2, 20));
    const choices = Array.from({ length: 200 }, () => chooser.choose(question({ canReplan: false })).action);
    expect(choices.filter((action) => action === 'retry').length).toBeGreaterThanOrEqual(180);
  });

  it('says in its decision what the policy wanted, what it chose and what it weighed', () => {
    const chooser = chooserOver(8, ...retryRarelyRerouteOften, toolRecord('proxy', 95, 100));
    const choice = chooser.choose(question({ canReplan: false, alternatives: ['proxy'] }));
    expect(choice.action).toBe('reroute');
    expect(choice.decision).toEqual({
      decision: 'recovery',
      failureCode: 'transient',
      tool: TOOL,
      workerType: 'web',
      policy: 'retry',
      chosen: 'reroute',
      rerouteTo: 'proxy',
      explored: expect.any(Boolean),
      arms: [
        { strategy: 'retry', tries: 20, meanRate: expect.any(Number), expectedCost: expect.any(Number) },
        { strategy: 'reroute', tries: 20, meanRate: expect.any(Number), expectedCost: expect.any(Number) },
      ],
    });
    const [retry, reroute] = (choice.decision!['arms'] as JsonObject[]).map((arm) => arm['meanRate'] as number);
    expect(reroute).toBeGreaterThan(retry!);
  });

  it('makes the same choices for the same seed and evidence', () => {
    const draw = (seed: number) => {
      const chooser = chooserOver(seed, recoveries('transient', 'retry', 10, 20), recoveries('transient', 'reroute', 10, 20));
      return Array.from({ length: 50 }, () => chooser.choose(question()));
    };
    expect(draw(9)).toEqual(draw(9));
  });
});
