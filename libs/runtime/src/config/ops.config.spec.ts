import { ConfigError } from '../errors/agentos-error';
import { loadConfig } from './load-config';
import { OpsConfig } from './ops.config';

function rejection(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(OpsConfig, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig(OpsConfig) to throw');
}

describe('loadConfig(OpsConfig)', () => {
  it('starts no server by default, and would bind loopback only', () => {
    expect(loadConfig(OpsConfig, {})).toMatchObject({ OPS_HTTP_PORT: 0, OPS_HTTP_HOST: '127.0.0.1' });
    expect(loadConfig(OpsConfig, { OPS_HTTP_PORT: '', OPS_HTTP_HOST: '' })).toMatchObject({ OPS_HTTP_PORT: 0, OPS_HTTP_HOST: '127.0.0.1' });
  });

  it.each([
    [{ OPS_HTTP_PORT: '9464', OPS_HTTP_HOST: '0.0.0.0' }, { OPS_HTTP_PORT: 9464, OPS_HTTP_HOST: '0.0.0.0' }],
    [{ OPS_HTTP_PORT: '0' }, { OPS_HTTP_PORT: 0 }],
    [{ OPS_HTTP_PORT: '65535', OPS_HTTP_HOST: '::' }, { OPS_HTTP_PORT: 65_535, OPS_HTTP_HOST: '::' }],
    [{ OPS_HTTP_HOST: '::1' }, { OPS_HTTP_HOST: '::1' }],
    [{ OPS_HTTP_HOST: 'ops.internal' }, { OPS_HTTP_HOST: 'ops.internal' }],
    [{ OPS_HTTP_HOST: 'localhost' }, { OPS_HTTP_HOST: 'localhost' }],
  ])('reads %p', (env, expected) => {
    expect(loadConfig(OpsConfig, env)).toMatchObject(expected);
  });

  it.each([
    ['a port out of range', { OPS_HTTP_PORT: '65536' }, /OPS_HTTP_PORT/],
    ['a negative port', { OPS_HTTP_PORT: '-1' }, /OPS_HTTP_PORT/],
    ['a port that is not a number', { OPS_HTTP_PORT: 'http' }, /OPS_HTTP_PORT/],
    ['a fractional port', { OPS_HTTP_PORT: '94.64' }, /OPS_HTTP_PORT/],
    ['a URL as host', { OPS_HTTP_HOST: 'http://0.0.0.0' }, /OPS_HTTP_HOST must be a host name or an IP address/],
    ['a host with a port', { OPS_HTTP_HOST: '0.0.0.0:9464' }, /OPS_HTTP_HOST/],
    ['a host with a space', { OPS_HTTP_HOST: 'ops host' }, /OPS_HTTP_HOST/],
  ])('rejects %s', (_name, env, expected) => {
    const error = rejection(env);
    expect(error.message).toMatch(expected);
    expect(error.message).toContain('invalid configuration (OpsConfig)');
  });
});
