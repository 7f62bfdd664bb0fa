import { postgresMigrations, SQLITE_MIGRATIONS, unknownVersions } from './migrations';

describe('migrations', () => {
  const postgres = postgresMigrations('"schema"');

  it('keep the two dialects in step: same versions, same names, versions strictly increasing from 1', () => {
    expect(postgres.map(({ version, name }) => ({ version, name }))).toEqual(SQLITE_MIGRATIONS.map(({ version, name }) => ({ version, name })));
    SQLITE_MIGRATIONS.forEach((migration, index) => expect(migration.version).toBe(index + 1));
  });

  it('create the same tables and columns in both dialects', () => {
    const columns = (sql: string) =>
      [...sql.matchAll(/CREATE TABLE (?:"schema"\.)?(\w+) \(([\s\S]*?)\n\s*\)/g)].map(([, table, body]) => ({
        table,
        columns: body!
          .split('\n')
          .map((line) => line.trim().match(/^([a-z_]+)\s/)?.[1])
          .filter((column) => column !== undefined && column !== 'primary'),
      }));
    expect(columns(postgres[0]!.sql)).toEqual(columns(SQLITE_MIGRATIONS[0]!.sql));
    expect(columns(postgres[0]!.sql).map((table) => table.table)).toEqual(['runs', 'task_outcomes', 'recovery_outcomes']);
  });

  it('qualify every PostgreSQL table with the schema given', () => {
    expect(postgres[0]!.sql).not.toMatch(/(TABLE|ON|REFERENCES) (?!"schema"\.)\w+ \(/);
  });

  it('tell versions applied by a newer build', () => {
    expect(unknownVersions([1], SQLITE_MIGRATIONS)).toEqual([]);
    expect(unknownVersions([1, 2, 7, 9], SQLITE_MIGRATIONS)).toEqual([7, 9]);
  });
});
