import { ConfigError } from '../errors/agentos-error';
import { loadConfig } from './load-config';
import { LogConfig } from './log.config';

describe('loadConfig(LogConfig)', () => {
  it('writes JSON from info up by default', () => {
    expect(loadConfig(LogConfig, {})).toMatchObject({ LOG_FORMAT: 'json', LOG_LEVEL: 'info' });
  });

  it.each([
    [{ LOG_FORMAT: 'text', LOG_LEVEL: 'debug' }, { LOG_FORMAT: 'text', LOG_LEVEL: 'debug' }],
    [{ LOG_FORMAT: 'JSON', LOG_LEVEL: 'WARN' }, { LOG_FORMAT: 'json', LOG_LEVEL: 'warn' }],
    [{ LOG_LEVEL: ' error ' }, { LOG_LEVEL: 'error' }],
  ])('reads %p, whatever the case', (env, expected) => {
    expect(loadConfig(LogConfig, env)).toMatchObject(expected);
  });

  it('rejects an unknown format and an unknown level together, naming both', () => {
    let error: unknown;
    try {
      loadConfig(LogConfig, { LOG_FORMAT: 'xml', LOG_LEVEL: 'trace' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/LOG_FORMAT: LOG_FORMAT must be one of the following values: json, text/);
    expect(message).toMatch(/LOG_LEVEL: LOG_LEVEL must be one of the following values: debug, info, warn, error/);
  });

  it('puts message ids on log lines only when LOG_CONTEXT is true (off by default), refusing anything but a boolean', () => {
    expect(loadConfig(LogConfig, {}).LOG_CONTEXT).toBe(false);
    expect(loadConfig(LogConfig, { LOG_CONTEXT: 'true' }).LOG_CONTEXT).toBe(true);
    expect(loadConfig(LogConfig, { LOG_CONTEXT: 'false' }).LOG_CONTEXT).toBe(false);
    expect(() => loadConfig(LogConfig, { LOG_CONTEXT: 'sometimes' })).toThrow(/LOG_CONTEXT/);
  });
});
