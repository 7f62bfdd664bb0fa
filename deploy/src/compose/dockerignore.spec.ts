import { DockerIgnore } from './dockerignore';

describe('DockerIgnore', () => {
  const ignore = new DockerIgnore(`
# everything out, then the workspace back in
*
!libs
!e2e/package.json
**/node_modules
**/*.spec.ts
libs/secret?.txt
`);

  it.each([
    ['package.json', false],
    ['libs/runtime/src/index.ts', true],
    ['libs/runtime/src/index.spec.ts', false],
    ['libs/runtime/node_modules/x/index.js', false],
    ['e2e/package.json', true],
    ['e2e/src/a.ts', false],
    ['libs/secret1.txt', false],
    ['libs/secret12.txt', true],
  ])('%s: in the context = %p', (path, expected) => {
    expect(ignore.includes(path)).toBe(expected);
  });

  it('includes everything when it has no patterns', () => {
    expect(new DockerIgnore('# only a comment\n').includes('anything/at/all')).toBe(true);
  });
});
