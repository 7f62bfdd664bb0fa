import { ConsoleLogger, Logger } from '@nestjs/common';
import { LogLevelName } from '../../config/log.config';
import { withLogContext } from '../log-context';
import { JsonLogger } from './json-logger';

/** A logger writing into an array, one parsed object per line. */
function capture(level: LogLevelName = 'info'): { logger: JsonLogger; lines: () => Array<Record<string, unknown>>; raw: string[] } {
  const raw: string[] = [];
  const logger = new JsonLogger({ service: 'supervisor', level, destination: { write: (line: string) => void raw.push(line) } });
  return { logger, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line: level, time, service, pid, context, msg, and nothing else', () => {
    const { logger, lines, raw } = capture();
    logger.log('dispatch limit of worker type io set to 4', 'ControlHandler');
    expect(raw).toHaveLength(1);
    expect(raw[0]!.endsWith('\n')).toBe(true);
    expect(raw[0]!.trimEnd()).not.toContain('\n');
    const [line] = lines();
    expect(line).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'supervisor',
      pid: process.pid,
      context: 'ControlHandler',
      msg: 'dispatch limit of worker type io set to 4',
    });
    expect(Math.abs(Date.parse(line!.time as string) - Date.now())).toBeLessThan(60_000);
  });

  it("adds the goal, task and trace ids of the message being handled, and only those that are set", () => {
    const { logger, lines } = capture();
    const context = { goalId: 'g-1', taskId: 'sum', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
    withLogContext(context, () => logger.warn('retrying', 'RunDriver'));
    withLogContext({ goalId: 'g-2' }, () => logger.log('accepted', 'GoalIntake'));
    logger.log('outside any handler', 'Main');
    expect(lines()[0]).toMatchObject({ level: 'warn', ...context, context: 'RunDriver', msg: 'retrying' });
    expect(lines()[1]).toMatchObject({ goalId: 'g-2', msg: 'accepted' });
    expect(lines()[1]).not.toHaveProperty('taskId');
    for (const key of ['goalId', 'taskId', 'traceId', 'spanId']) expect(lines()[2]).not.toHaveProperty(key);
    // The context object is the handler's: logging must not write into it.
    expect(context).toEqual({ goalId: 'g-1', taskId: 'sum', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
  });

  it('serves the Logger instances services create once it is the global Nest logger', () => {
    const { logger, lines } = capture();
    Logger.overrideLogger(logger);
    try {
      const runDriver = new Logger('RunDriver');
      runDriver.log('publishing 3 message(s)');
      const error = new Error('broker down');
      runDriver.error('publishing failed', error.stack);
      runDriver.error('no stack given');
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', context: 'RunDriver', msg: 'publishing 3 message(s)' }),
      expect.objectContaining({ level: 'error', context: 'RunDriver', msg: 'publishing failed', stack: expect.stringMatching(/^Error: broker down\n\s+at /) }),
      expect.objectContaining({ level: 'error', context: 'RunDriver', msg: 'no stack given' }),
    ]);
    expect(lines()[2]).not.toHaveProperty('stack');
  });

  it('writes from LOG_LEVEL up only', () => {
    const warn = capture('warn');
    warn.logger.debug('d');
    warn.logger.log('i');
    warn.logger.warn('w');
    warn.logger.error('e');
    warn.logger.fatal('f');
    expect(warn.lines().map((line) => line.level)).toEqual(['warn', 'error', 'fatal']);

    const debug = capture('debug');
    debug.logger.verbose('v');
    debug.logger.debug('d');
    expect(debug.lines().map((line) => [line.level, line.msg])).toEqual([['debug', 'd']]);
  });

  it('takes a list of Nest levels as Nest passes them', () => {
    const { logger, lines } = capture('info');
    logger.setLogLevels(['error', 'fatal']);
    logger.warn('dropped');
    logger.error('kept');
    expect(lines().map((line) => line.msg)).toEqual(['kept']);
  });

  it('writes an Error given as the message with its message and stack', () => {
    const { logger, lines } = capture();
    logger.error(new Error('handler crashed'), 'ConsumerRunner');
    expect(lines()[0]).toMatchObject({ level: 'error', context: 'ConsumerRunner', msg: 'handler crashed', stack: expect.stringContaining('handler crashed') });
  });
});
