import { LoggerService, LogLevel } from '@nestjs/common';
import pino, { DestinationStream, Logger as Pino } from 'pino';
import { LogLevelName } from '../../config/log.config';
import { currentLogContext } from '../log-context';
import { leastSevere, PINO_LEVEL_OF_NEST, PinoLevel } from './log-levels';
import { parseNestLogCall } from './nest-log-call';

export interface JsonLoggerOptions {
  /** The `service` field of every line (supervisor, worker-io, worker-logic). */
  readonly service: string;
  readonly level: LogLevelName;
  /** Where lines go; stdout, written synchronously, by default (nothing lost on process.exit). */
  readonly destination?: DestinationStream;
}

/**
 * Nest's LoggerService on pino: one JSON object per line with `level` (pino's names: debug,
 * info, warn, error, fatal), `time` (ISO 8601), `service`, `pid`, the goal, task and trace ids of
 * the message being handled (currentLogContext) when there is one, `context` (the Nest logger's)
 * and `msg`, plus `stack` for errors that carry one.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Pino;

  constructor(options: JsonLoggerOptions) {
    this.pino = pino(
      {
        level: options.level,
        base: { service: options.service, pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        // A copy: pino merges the line's own fields into what the mixin returns.
        mixin: () => ({ ...currentLogContext() }),
      },
      options.destination ?? pino.destination({ dest: 1, sync: true }),
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write(PINO_LEVEL_OF_NEST.log, message, params, false);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write(PINO_LEVEL_OF_NEST.error, message, params, true);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write(PINO_LEVEL_OF_NEST.warn, message, params, false);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write(PINO_LEVEL_OF_NEST.debug, message, params, false);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write(PINO_LEVEL_OF_NEST.verbose, message, params, false);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write(PINO_LEVEL_OF_NEST.fatal, message, params, false);
  }

  /** Nest calls this when levels are given as a list (Logger.overrideLogger([...])). */
  setLogLevels(levels: LogLevel[]): void {
    this.pino.level = leastSevere(levels);
  }

  private write(level: PinoLevel, message: unknown, params: readonly unknown[], mayCarryStack: boolean): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const { msg, context, stack } = parseNestLogCall(message, params, mayCarryStack);
    const fields: { context?: string; stack?: string } = {};
    if (context !== undefined) fields.context = context;
    if (stack !== undefined) fields.stack = stack;
    this.pino[level](fields, msg);
  }
}
