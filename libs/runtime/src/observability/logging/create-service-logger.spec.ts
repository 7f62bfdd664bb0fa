import { ConsoleLogger } from '@nestjs/common';
import { loadConfig } from '../../config/load-config';
import { LogConfig } from '../../config/log.config';
import { createServiceLogger } from './create-service-logger';
import { JsonLogger } from './json-logger';

describe('createServiceLogger', () => {
  it('logs JSON by default, named after the service', () => {
    const lines: string[] = [];
    const logger = createServiceLogger('worker-io', loadConfig(LogConfig, {}), { write: (line: string) => void lines.push(line) });
    expect(logger).toBeInstanceOf(JsonLogger);
    logger.log('started', 'Main');
    expect(JSON.parse(lines[0]!)).toMatchObject({ service: 'worker-io', level: 'info', msg: 'started' });
  });

  it("logs Nest's console format for LOG_FORMAT=text, from LOG_LEVEL up", () => {
    const logger = createServiceLogger('worker-io', loadConfig(LogConfig, { LOG_FORMAT: 'text', LOG_LEVEL: 'warn' }));
    expect(logger).toBeInstanceOf(ConsoleLogger);
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const writeError = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let written: string;
    try {
      logger.log('not shown', 'Main');
      logger.warn('shown', 'Main');
      written = [...write.mock.calls, ...writeError.mock.calls].map(([chunk]) => String(chunk)).join('');
    } finally {
      write.mockRestore();
      writeError.mockRestore();
    }
    expect(written).toContain('shown');
    expect(written).not.toContain('not shown');
    expect(written.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/^\[Nest\] \d+ {2}- .* {4}WARN \[Main\] shown\n$/);
  });
});
