import { copiesOf, envOf, execForm, finalStage, instructionsOf, parseDockerfile, parseDockerInstructions } from './dockerfile';

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG VERSION=1
FROM node:20.20-bookworm-slim AS build
RUN --mount=type=cache,target=/root/.npm npm ci \\
 # a comment inside a continuation is dropped
 && npm run build
ENV A=1 B="two words" C=

FROM debian:12 as runtime
ENV LEGACY value with spaces
COPY --from=build --chown=node:node /app/dist ./dist
COPY package.json package-lock.json ./
HEALTHCHECK --interval=10s --retries=3 \\
  CMD ["node", "-e", "1"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "main.js"]
`;

describe('parseDockerfile', () => {
  const stages = parseDockerfile(DOCKERFILE);

  it('splits stages at FROM, with their names', () => {
    expect(stages.map((stage) => [stage.image, stage.name])).toEqual([
      ['node:20.20-bookworm-slim', 'build'],
      ['debian:12', 'runtime'],
    ]);
    expect(finalStage(stages).name).toBe('runtime');
  });

  it('joins continuation lines, drops comments and reads leading flags', () => {
    const [run] = instructionsOf(stages[0]!, 'RUN');
    expect(run).toEqual({ keyword: 'RUN', flags: { mount: 'type=cache,target=/root/.npm' }, args: 'npm ci && npm run build', line: 4 });
  });

  it('reads ENV in both forms', () => {
    expect(envOf(stages[0]!)).toEqual({ A: '1', B: 'two words', C: '' });
    expect(envOf(stages[1]!)).toEqual({ LEGACY: 'value with spaces' });
  });

  it('reads COPY sources, destination and stage', () => {
    expect(copiesOf(stages[1]!)).toEqual([
      { from: 'build', sources: ['/app/dist'], destination: './dist' },
      { sources: ['package.json', 'package-lock.json'], destination: './' },
    ]);
  });

  it('reads exec forms, and refuses the shell form', () => {
    const [healthcheck] = instructionsOf(stages[1]!, 'HEALTHCHECK');
    expect(healthcheck!.flags).toEqual({ interval: '10s', retries: '3' });
    expect(execForm(healthcheck!.args)).toEqual(['node', '-e', '1']);
    expect(execForm(instructionsOf(stages[1]!, 'ENTRYPOINT')[0]!.args)).toEqual(['/usr/bin/tini', '--', 'node', 'main.js']);
    expect(() => execForm('node main.js')).toThrow();
  });

  it('refuses a Dockerfile without FROM, or with instructions before it', () => {
    expect(() => parseDockerfile('# nothing\n')).toThrow(/needs a FROM/);
    expect(() => parseDockerfile('RUN true\nFROM node:20\n')).toThrow(/RUN before the first FROM/);
    expect(parseDockerInstructions('ARG X\nFROM a:1\n').map((instruction) => instruction.keyword)).toEqual(['ARG', 'FROM']);
  });
});
