/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerInstruction {
  /** Upper-cased: FROM, RUN, COPY, ENV, ... */
  readonly keyword: string;
  /** `--name=value` flags before the arguments (`--from=build`, `--mount=...`, `--interval=10s`). */
  readonly flags: Readonly<Record<string, string>>;
  /** What follows the keyword and its flags. */
  readonly args: string;
  readonly line: number;
}

/** A build stage: `FROM <image> [AS <name>]` and the instructions up to the next FROM. */
export interface DockerStage {
  readonly image: string;
  readonly name?: string;
  readonly instructions: readonly DockerInstruction[];
}

/** A COPY or ADD: its sources, destination and the stage it copies from, if any. */
export interface DockerCopy {
  readonly from?: string;
  readonly sources: readonly string[];
  readonly destination: string;
}

const FLAG = /^--([a-z-]+)(?:=(\S*))?\s*/;

/** Instructions of a Dockerfile: comments and the parser directive dropped, `\` continuations joined. */
export function parseDockerInstructions(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending !== '' && line.trimStart().startsWith('#')) return;
    if (pending === '') startLine = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    instructions.push(toInstruction(pending + line, startLine));
    pending = '';
  });
  if (pending.trim() !== '') instructions.push(toInstruction(pending, startLine));
  return instructions;
}

function toInstruction(text: string, line: number): DockerInstruction {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const space = trimmed.indexOf(' ');
  const keyword = (space < 0 ? trimmed : trimmed.slice(0, space)).toUpperCase();
  let rest = space < 0 ? '' : trimmed.slice(space + 1);
  const flags: Record<string, string> = {};
  for (let match = FLAG.exec(rest); match; match = FLAG.exec(rest)) {
    flags[match[1]!] = match[2] ?? '';
    rest = rest.slice(match[0].length);
  }
  return { keyword, flags, args: rest, line };
}

/** The build stages of a Dockerfile, in order; the last one is the image. */
export function parseDockerfile(text: string): DockerStage[] {
  const stages: Array<{ image: string; name?: string; instructions: DockerInstruction[] }> = [];
  for (const instruction of parseDockerInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(' ');
      if (!image) throw new Error(`line ${instruction.line}: FROM without an image`);
      stages.push({ image, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
    } else {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }
  if (stages.length === 0) throw new Error('a Dockerfile needs a FROM');
  return stages;
}

/** The image's stage: the last one. */
export function finalStage(stages: readonly DockerStage[]): DockerStage {
  return stages[stages.length - 1]!;
}

/** The instructions of a stage with the given keyword. */
export function instructionsOf(stage: DockerStage, keyword: string): DockerInstruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** The exec form (`["a", "b"]`) of ENTRYPOINT, CMD, or a HEALTHCHECK's CMD; throws on the shell form. */
export function execForm(args: string): string[] {
  const json = args.startsWith('CMD ') ? args.slice(4) : args;
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((item): item is string => typeof item === 'string')) {
    throw new Error(`not an exec form: ${args}`);
  }
  return parsed;
}

/** The variables ENV sets in a stage (`ENV A=1 B="two words"`; the legacy `ENV A 1` form too). */
export function envOf(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructionsOf(stage, 'ENV')) {
    if (!args.includes('=') || /^\S+\s/.test(args.split('=')[0]!)) {
      const space = args.indexOf(' ');
      env[args.slice(0, space)] = args.slice(space + 1);
      continue;
    }
    for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
      const value = match[2]!;
      env[match[1]!] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
    }
  }
  return env;
}

/** The COPY and ADD instructions of a stage. */
export function copiesOf(stage: DockerStage): DockerCopy[] {
  return stage.instructions
    .filter((instruction) => instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
    .map(({ flags, args }) => {
      const parts = args.split(' ');
      return { ...(flags.from ? { from: flags.from } : {}), sources: parts.slice(0, -1), destination: parts[parts.length - 1]! };
    });
}
