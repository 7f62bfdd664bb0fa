import { Options, transformFileSync } from '@swc/core';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

/** Everything a compiled entry point loads at run time, found by following its `require`s. */
export interface RuntimeClosure {
  /** Source files (repository-relative) whose compiled form is loaded. */
  readonly files: readonly string[];
  /** Workspace folders those files live in (`libs/runtime`, `services/supervisor`): their dist is needed. */
  readonly workspaceProjects: ReadonlySet<string>;
  /** npm packages required directly (not Node built-ins). */
  readonly packages: ReadonlySet<string>;
  /** Required files that are not TypeScript sources: swc does not copy them into dist. */
  readonly assets: readonly string[];
  /** Names of the classes passed to `loadConfig(...)` anywhere in the loaded code. */
  readonly configClassesLoaded: ReadonlySet<string>;
  /** `loadConfig(...)` calls whose first argument is not a class name (a variable): these hide what they load. */
  readonly opaqueConfigLoads: readonly string[];
}

/** The build's own swc options (.swcrc), applied to one file at a time as `npm run build` does. */
function buildOptions(repoRoot: string): Options {
  const swcrc = JSON.parse(readFileSync(join(repoRoot, '.swcrc'), 'utf8')) as Options & { $schema?: string; exclude?: unknown };
  delete swcrc.$schema;
  delete swcrc.exclude;
  return { ...swcrc, swcrc: false, sourceMaps: false, jsc: { ...swcrc.jsc, baseUrl: repoRoot } };
}

const REQUIRE = /\brequire\("([^"]+)"\)/g;
/** A call in compiled code: `loadConfig(X, env)`, `(0, _runtime.loadConfig)(_config.X, env)`; not the definition. */
const LOAD_CONFIG_CALL = /(?<!function )\bloadConfig\)?\(\s*([^,)]*)/g;
const CONFIG_CLASS_ARGUMENT = /^(?:[\w$]+\.)?([A-Z][\w$]*)$/;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function resolveSource(fromFile: string, specifier: string): string {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, join(base, 'index.ts')];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!found) throw new Error(`${fromFile}: cannot resolve "${specifier}"`);
  return found;
}

function workspaceProject(file: string): string {
  const parts = file.split('/');
  return ['libs', 'services', 'apps'].includes(parts[0]!) ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Compiles `entry` (a repository-relative .ts file) and everything it requires with the build's
 * swc settings (aliases rewritten to relative paths, type-only imports elided, exactly as in
 * dist), and lists what the running program needs.
 */
export function runtimeClosure(repoRoot: string, entry: string): RuntimeClosure {
  const options = buildOptions(repoRoot);
  const seen = new Set<string>();
  const packages = new Set<string>();
  const assets: string[] = [];
  const configClassesLoaded = new Set<string>();
  const opaqueConfigLoads: string[] = [];
  const pending = [resolve(repoRoot, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.ts')) {
      assets.push(relative(repoRoot, file));
      continue;
    }
    const { code } = transformFileSync(file, { ...options, filename: file });
    for (const [, specifier] of code.matchAll(REQUIRE)) {
      if (specifier!.startsWith('.')) pending.push(resolveSource(file, specifier!));
      else if (!isBuiltin(specifier!)) packages.add(packageName(specifier!));
    }
    for (const [, argument] of code.matchAll(LOAD_CONFIG_CALL)) {
      const schema = CONFIG_CLASS_ARGUMENT.exec(argument!.trim());
      if (schema) configClassesLoaded.add(schema[1]!);
      else opaqueConfigLoads.push(`${relative(repoRoot, file)}: loadConfig(${argument!.trim()}, ...)`);
    }
  }
  const files = [...seen].filter((file) => file.endsWith('.ts')).map((file) => relative(repoRoot, file));
  return {
    files: files.sort(),
    workspaceProjects: new Set(files.map(workspaceProject)),
    packages,
    assets: assets.sort(),
    configClassesLoaded,
    opaqueConfigLoads,
  };
}
