import { FactoryProvider } from '@nestjs/common';
import { NamedEntries } from '../named-entries';
import { withTimeout } from './with-timeout';

/** What one readiness check found. */
export interface ReadinessStatus {
  readonly ready: boolean;
  /** Why not, when not ready: a short line for operators (never a secret). */
  readonly reason?: string;
  /** Shown with the status in /health/ready. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A readiness check; a throw (or no answer in time) means not ready, with the error's message as the reason. */
export type ReadinessCheck = () => ReadinessStatus | Promise<ReadinessStatus>;

/** One check's answer, under the name it was registered with. */
export interface NamedReadinessStatus {
  readonly name: string;
  readonly status: ReadinessStatus;
}

/** How long a check may take before it counts as not ready: below the usual probe timeouts (Kubernetes' 1-3 s). */
export const DEFAULT_READINESS_TIMEOUT_MS = 900;

/**
 * What a process must have working to take work: the bus, and whatever its services add (the
 * supervisor adds its memory store). Services register their checks while they run; the ops
 * server's GET /health/ready asks every one of them.
 */
export class ReadinessChecks {
  private readonly checks = new NamedEntries<ReadinessCheck>();

  /**
   * Adds a check until the returned function is called. A name already taken (two services of
   * one kind in a process) gets a numbered suffix, so neither hides the other.
   */
  register(name: string, check: ReadinessCheck): () => void {
    return this.checks.register(name, check);
  }

  names(): string[] {
    return this.checks.names();
  }

  /** Runs every check at once, each bounded by `timeoutMs`. */
  evaluate(timeoutMs = DEFAULT_READINESS_TIMEOUT_MS): Promise<NamedReadinessStatus[]> {
    return Promise.all(
      [...this.checks.all()].map(async ([name, check]) => {
        try {
          return { name, status: await withTimeout(Promise.resolve().then(check), timeoutMs, name) };
        } catch (error) {
          return { name, status: { ready: false, reason: error instanceof Error ? error.message : String(error) } };
        }
      }),
    );
  }
}

let shared: ReadinessChecks | undefined;

/** The process's readiness checks, created on first use: what services register into unless given others. */
export function processReadiness(): ReadinessChecks {
  shared ??= new ReadinessChecks();
  return shared;
}

/** The process's ReadinessChecks, in a service's Nest container. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** Provides READINESS_CHECKS: `checks` when given (tests), else the process's (processReadiness). */
export function readinessProvider(checks?: ReadinessChecks): FactoryProvider<ReadinessChecks> {
  return { provide: READINESS_CHECKS, useFactory: () => checks ?? processReadiness() };
}
