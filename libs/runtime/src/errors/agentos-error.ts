/**
 * Base of every error AgentOS throws on purpose. A string `code` because `instanceof`
 * does not survive a process boundary; `retriable` says whether trying again unchanged can help.
 */
export class AgentOsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    readonly context: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Configuration that is missing or invalid: the process must not start. */
export class ConfigError extends AgentOsError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('config_invalid', message, false, context);
  }
}

/** A bus could not do what was asked (connect, publish, subscribe). */
export class TransportError extends AgentOsError {
  constructor(message: string, retriable: boolean, context: Record<string, unknown> = {}, cause?: unknown) {
    super('transport_failed', message, retriable, context, { cause });
  }
}
