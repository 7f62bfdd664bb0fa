import { Logger } from '@nestjs/common';
import { logCreator, LogEntry, logLevel } from 'kafkajs';
import { KafkaLogLevel } from './kafka-bus.options';

/**
 * Conditions every cluster passes through while it starts, elects leaders (a new topic's
 * first moments included), moves a group coordinator or rebalances a group. kafkajs retries
 * them itself and reports what still fails after its retries, so logged at WARN or ERROR
 * each time they are noise that hides real trouble.
 */
const TRANSIENT_CONDITIONS = [
  /the coordinator is loading/i,
  /group coordinator is not available/i,
  /there is no leader for this topic-partition/i,
  /not the leader for that topic-partition/i,
  /the group is rebalancing/i,
];

/** Fields of a kafkajs log entry that the line itself already shows, or that are too long for it. */
const OMITTED_FIELDS = new Set(['timestamp', 'message', 'logger', 'stack']);

export const KAFKAJS_LOG_LEVELS: Readonly<Record<KafkaLogLevel, logLevel>> = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/** kafkajs `logCreator` that writes through the NestJS logger (context `kafkajs`). */
export function nestLogCreator(logger: Pick<Logger, 'error' | 'warn' | 'log' | 'debug'> = new Logger('kafkajs')): logCreator {
  return () => (entry: LogEntry) => {
    const line = describeEntry(entry);
    const level = isTransient(entry) ? logLevel.DEBUG : entry.level;
    switch (level) {
      case logLevel.ERROR:
        logger.error(line, typeof entry.log.stack === 'string' ? entry.log.stack : undefined);
        return;
      case logLevel.WARN:
        logger.warn(line);
        return;
      case logLevel.INFO:
        logger.log(line);
        return;
      default:
        logger.debug(line);
    }
  };
}

function isTransient(entry: LogEntry): boolean {
  const error: unknown = entry.log.error;
  const text = typeof error === 'string' ? `${entry.log.message} ${error}` : entry.log.message;
  return TRANSIENT_CONDITIONS.some((condition) => condition.test(text));
}

function describeEntry(entry: LogEntry): string {
  const details: Record<string, unknown> = {};
  let hasDetails = false;
  for (const [name, value] of Object.entries(entry.log as Record<string, unknown>)) {
    if (OMITTED_FIELDS.has(name) || value === undefined) continue;
    details[name] = value;
    hasDetails = true;
  }
  const prefix = entry.namespace ? `[${entry.namespace}] ` : '';
  return hasDetails ? `${prefix}${entry.log.message} ${safeJson(details)}` : `${prefix}${entry.log.message}`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserialisable details]';
  }
}
