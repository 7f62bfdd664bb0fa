import { ConsoleLogger, LoggerService } from '@nestjs/common';
import { DestinationStream } from 'pino';
import { LogConfig } from '../../config/log.config';
import { JsonLogger } from './json-logger';
import { NEST_LOG_LEVELS } from './log-levels';

/**
 * The logger of a standalone service process, from LOG_FORMAT and LOG_LEVEL: JSON lines on pino,
 * or Nest's console format. `destination` replaces stdout for JSON (tests capture it).
 */
export function createServiceLogger(service: string, config: LogConfig, destination?: DestinationStream): LoggerService {
  if (config.LOG_FORMAT === 'text') return new ConsoleLogger({ logLevels: NEST_LOG_LEVELS[config.LOG_LEVEL] });
  return new JsonLogger({ service, level: config.LOG_LEVEL, ...(destination ? { destination } : {}) });
}
