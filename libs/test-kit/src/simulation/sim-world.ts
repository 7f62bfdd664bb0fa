/** How one tool behaves on one worker type in the simulated world. */
export interface SimToolProfile {
  /** Cost units every attempt reports. */
  readonly cost: number;
  /** Chance that an attempt fails with `transient` (retrying may help). */
  readonly transientRate?: number;
  /** Chance that a task's first attempt times out (reported as `timeout`; the retry goes through). */
  readonly firstAttemptTimeoutRate?: number;
  /** Inputs whose `format` is this fail with `logic_error` on every attempt: only another plan helps. */
  readonly rejectsFormat?: string;
  /** Time an attempt takes, in ms. */
  readonly latencyMs?: number;
}

/** The whole environment: per worker type, the tools it offers and how each behaves there. */
export interface SimWorld {
  readonly seed: number;
  readonly workerTypes: Readonly<Record<string, Readonly<Record<string, SimToolProfile>>>>;
}

export type SimOutcome = 'succeeded' | 'transient' | 'timeout' | 'logic_error';

/** One attempt the world saw. */
export interface SimAttempt {
  readonly goalId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly workerType: string;
  readonly tool: string;
  readonly outcome: SimOutcome;
  readonly cost: number;
}

/** FNV-1a over the text, then a final avalanche: a uniform draw in [0, 1) fixed by its inputs. */
export function uniformDraw(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

/**
 * Decides what an attempt does, from the world's seed and the attempt's identity alone: the same
 * goal, task, attempt and worker type meet the same fate whichever supervisor runs them, so
 * runs with and without memory face the same luck.
 */
export function simOutcome(world: SimWorld, attempt: Omit<SimAttempt, 'outcome' | 'cost'>, format: string | undefined): SimOutcome {
  const profile = world.workerTypes[attempt.workerType]?.[attempt.tool];
  if (!profile) return 'logic_error';
  if (profile.rejectsFormat !== undefined && format === profile.rejectsFormat) return 'logic_error';
  const identity = `${world.seed}|${attempt.goalId}|${attempt.taskId}|${attempt.workerType}|${attempt.tool}`;
  if (attempt.attempt === 1 && uniformDraw(`${identity}|timeout`) < (profile.firstAttemptTimeoutRate ?? 0)) return 'timeout';
  if (uniformDraw(`${identity}|${attempt.attempt}|transient`) < (profile.transientRate ?? 0)) return 'transient';
  return 'succeeded';
}

/** Every attempt the world ran, for the benchmark's and the tests' own accounts. */
export class SimLedger {
  readonly attempts: SimAttempt[] = [];

  record(attempt: SimAttempt): void {
    this.attempts.push(attempt);
  }

  get cost(): number {
    return this.attempts.reduce((sum, attempt) => sum + attempt.cost, 0);
  }

  forGoals(goalIds: ReadonlySet<string>): SimAttempt[] {
    return this.attempts.filter((attempt) => goalIds.has(attempt.goalId));
  }
}
