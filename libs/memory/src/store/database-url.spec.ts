import { isPostgresUrl, redactDatabaseUrl } from './database-url';

describe('redactDatabaseUrl', () => {
  it.each([
    ['postgres://agentos:s3cret@db:5432/memory', 'postgres://agentos:***@db:5432/memory'],
    ['postgresql://agentos@db/memory', 'postgresql://agentos@db/memory'],
    ['postgres://db/memory?user=agentos&password=s3cret&sslmode=require', 'postgres://db/memory?user=agentos&password=***&sslmode=require'],
    ['postgres://a:b%40c@db/m?sslpassword=s3cret', 'postgres://a:***@db/m?sslpassword=***'],
  ])('%s -> %s', (url, shown) => {
    expect(redactDatabaseUrl(url)).toBe(shown);
  });

  it.each(['agentos:s3cret@db', 'not a url s3cret', 'mysql://root:s3cret@db/x'])('shows nothing of %p, not a postgres URL', (url) => {
    expect(redactDatabaseUrl(url)).toBe('<not a postgres:// URL>');
  });
});

describe('isPostgresUrl', () => {
  it.each([
    ['postgres://db/x', true],
    ['postgresql://u:p@db:5432/x', true],
    ['POSTGRES://db/x', true],
    ['mysql://db/x', false],
    ['http://db/x', false],
    ['db:5432', false],
    ['', false],
    [undefined, false],
  ])('%p -> %p', (value, expected) => {
    expect(isPostgresUrl(value)).toBe(expected);
  });
});
