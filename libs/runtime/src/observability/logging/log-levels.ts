import { LogLevel } from '@nestjs/common';
import { LogLevelName } from '../../config/log.config';

/** Nest's levels enabled from each LOG_LEVEL (Nest calls info `log`; `verbose` stays off). */
export const NEST_LOG_LEVELS: Readonly<Record<LogLevelName, LogLevel[]>> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

/** pino's name for each Nest level. */
export const PINO_LEVEL_OF_NEST = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
} as const satisfies Record<LogLevel, string>;

export type PinoLevel = (typeof PINO_LEVEL_OF_NEST)[LogLevel];

/** The least severe pino level among Nest levels (what `setLogLevels` enables from). */
export function leastSevere(levels: readonly LogLevel[]): PinoLevel | 'silent' {
  const order: readonly LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
  const least = order.find((level) => levels.includes(level));
  return least === undefined ? 'silent' : PINO_LEVEL_OF_NEST[least];
}
