import { AgentOsError } from '../../errors/agentos-error';

/** A probe (readiness check, lag read) that did not answer in time. */
export class ProbeTimeoutError extends AgentOsError {
  constructor(what: string, timeoutMs: number) {
    super('probe_timeout', `${what}: no answer within ${timeoutMs} ms`, true, { timeoutMs });
  }
}

/**
 * Settles as `work` does, or rejects with a ProbeTimeoutError after `timeoutMs`. The work itself
 * goes on (nothing here can cancel it); its late failure is not left unhandled.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeoutError(what, timeoutMs)), timeoutMs);
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
