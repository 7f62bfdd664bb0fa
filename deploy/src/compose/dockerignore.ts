interface IgnorePattern {
  readonly negated: boolean;
  readonly pattern: RegExp;
}

function toRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      // `**/` is any number of folders (none included); a trailing `**` anything at all.
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Docker's .dockerignore semantics: patterns in order, the last one matching a path (or one of
 * its parent folders) decides; `!` lets a path back in.
 */
export class DockerIgnore {
  private readonly patterns: IgnorePattern[];

  constructor(text: string) {
    this.patterns = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const negated = line.startsWith('!');
        const glob = (negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
        return { negated, pattern: toRegExp(glob) };
      });
  }

  /** Whether a repository-relative file path is sent to the builder. */
  includes(path: string): boolean {
    const parts = path.split('/');
    const ancestry = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
    let included = true;
    for (const { negated, pattern } of this.patterns) {
      if (ancestry.some((prefix) => pattern.test(prefix))) included = negated;
    }
    return included;
  }
}
