import { logLevel } from 'kafkajs';
import { nestLogCreator } from './kafka-logger';

describe('nestLogCreator', () => {
  const logger = { error: jest.fn(), warn: jest.fn(), log: jest.fn(), debug: jest.fn() };
  const write = nestLogCreator(logger)(logLevel.WARN);
  const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) => ({
    namespace: 'Connection',
    level,
    label: logLevel[level],
    log: { timestamp: '2026-01-01T00:00:00.000Z', message, ...extra },
  });

  beforeEach(() => jest.clearAllMocks());

  it('forwards each level to the matching NestJS method, with the details of the entry', () => {
    write(entry(logLevel.ERROR, 'Crash', { groupId: 'g', stack: 'trace' }));
    write(entry(logLevel.WARN, 'slow'));
    expect(logger.error).toHaveBeenCalledWith('[Connection] Crash {"groupId":"g"}', 'trace');
    expect(logger.warn).toHaveBeenCalledWith('[Connection] slow');
  });

  it.each([
    ['Response GroupCoordinator', 'The coordinator is loading and hence can\'t process requests'],
    ['Response FindCoordinator', 'The group coordinator is not available'],
    ['Response Metadata', 'There is no leader for this topic-partition as we are in the middle of a leadership election'],
    ['Response Produce', 'This server is not the leader for that topic-partition'],
  ])('downgrades the transient "%s: %s" to debug', (message, error) => {
    write(entry(logLevel.ERROR, message, { error }));
    expect(logger.error).not.toHaveBeenCalled();
    expect(logger.debug).toHaveBeenCalledTimes(1);
  });
});
