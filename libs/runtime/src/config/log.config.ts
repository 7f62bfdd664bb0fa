import { Transform } from 'class-transformer';
import { IsBoolean, IsIn } from 'class-validator';
import { parseBooleanVariable } from './load-config';

export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Least severe level written; each includes the ones after it. */
export const LOG_LEVEL_NAMES = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];

/** `INFO ` and `info` mean the same: operators type these by hand. */
function normalised({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.trim().toLowerCase() : value;
}

/**
 * How a standalone service writes its logs: `json` (the default: one object per line, for log
 * collectors) or `text` (Nest's console format, for people), from LOG_LEVEL up.
 */
export class LogConfig {
  @Transform(normalised)
  @IsIn(LOG_FORMATS)
  readonly LOG_FORMAT: LogFormat = 'json';

  @Transform(normalised)
  @IsIn(LOG_LEVEL_NAMES)
  readonly LOG_LEVEL: LogLevelName = 'info';

  /**
   * Put the goal and task ids of the message being handled on every log line even with tracing
   * off (with tracing on they are always there). Off by default: on Node 20 it costs about 15% of
   * a service's Kafka throughput (AsyncLocalStorage's promise hooks); the compose file and the
   * Kubernetes manifests turn it on.
   */
  @IsBoolean()
  @Transform(parseBooleanVariable)
  readonly LOG_CONTEXT: boolean = false;
}
