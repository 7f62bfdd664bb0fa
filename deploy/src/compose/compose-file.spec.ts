import { interpolate, parseComposeFile, parsePort } from './compose-file';

describe('interpolate', () => {
  it.each<[string, Record<string, string>, string]>([
    ['${A}', { A: 'x' }, 'x'],
    ['${A}', {}, ''],
    ['${A:-d}', {}, 'd'],
    ['${A:-d}', { A: '' }, 'd'],
    ['${A-d}', { A: '' }, ''],
    ['${A:-}', {}, ''],
    ['p://u:${P:-local-only}@h/db', { P: 's3cret' }, 'p://u:s3cret@h/db'],
    ['$$HOME', {}, '$HOME'],
  ])('%s with %p -> %p', (text, variables, expected) => {
    expect(interpolate(text, variables)).toBe(expected);
  });

  it('fails on a required variable that is missing', () => {
    expect(() => interpolate('${KEY:?set KEY}', {})).toThrow(/KEY is required: set KEY/);
  });
});

describe('parsePort', () => {
  it.each([
    ['9464', { target: 9464 }],
    ['9465:9464', { published: 9465, target: 9464 }],
    ['127.0.0.1:9465:9464/tcp', { hostIp: '127.0.0.1', published: 9465, target: 9464 }],
  ])('%s', (spec, expected) => {
    expect(parsePort(spec)).toEqual(expected);
  });

  it('refuses what is not a port', () => {
    expect(() => parsePort('a:b')).toThrow(/not a port number/);
  });
});

describe('parseComposeFile', () => {
  const text = `
x-env: &env
  SHARED: "1"
x-common: &common
  read_only: true
services:
  app:
    <<: *common
    build: { context: ., dockerfile: app/Dockerfile }
    environment:
      <<: *env
      OWN: \${OWN:-default}
      NUMBER: 3
    ports: ["127.0.0.1:1:2"]
    volumes: ["data:/data"]
    depends_on:
      db: { condition: service_healthy }
    healthcheck: { test: "pg_isready" }
  db:
    image: postgres:16
    environment: ["A=b", "EMPTY"]
    depends_on: [app]
volumes:
  data:
`;

  it('resolves merge keys, interpolates and normalises each service', () => {
    const compose = parseComposeFile(text, { OWN: 'set' });
    expect(compose.volumes).toEqual(['data']);
    expect(compose.services.app).toEqual({
      name: 'app',
      build: { context: '.', dockerfile: 'app/Dockerfile' },
      environment: { SHARED: '1', OWN: 'set', NUMBER: '3' },
      ports: [{ hostIp: '127.0.0.1', published: 1, target: 2 }],
      healthcheck: ['CMD-SHELL', 'pg_isready'],
      dependsOn: { db: 'service_healthy' },
      volumes: [{ source: 'data', target: '/data' }],
      readOnly: true,
    });
    expect(compose.services.db).toMatchObject({ image: 'postgres:16', environment: { A: 'b', EMPTY: '' }, dependsOn: { app: 'service_started' }, readOnly: false });
  });

  it('refuses a file without services', () => {
    expect(() => parseComposeFile('version: "3"\n')).toThrow(/services map/);
  });
});
