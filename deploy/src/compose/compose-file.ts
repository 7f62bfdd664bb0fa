import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A published port: `[host_ip:]published:target` (`target` alone publishes on a random port). */
export interface PortMapping {
  readonly hostIp?: string;
  readonly published?: number;
  readonly target: number;
}

/** The parts of a compose service these checks read, values interpolated. */
export interface ComposeService {
  readonly name: string;
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly environment: Readonly<Record<string, string>>;
  readonly ports: readonly PortMapping[];
  /** The healthcheck's `test` as an argument list (`CMD-SHELL` tests are one shell string). */
  readonly healthcheck?: readonly string[];
  readonly dependsOn: Readonly<Record<string, string>>;
  /** `source:target[:mode]` entries. */
  readonly volumes: readonly { readonly source: string; readonly target: string }[];
  readonly readOnly: boolean;
  readonly hostname?: string;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes: readonly string[];
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^}\\]|\\.)*))?\}|\$\$/g;

/**
 * Compose's interpolation of `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}` and
 * `$$`, against `variables` (what the shell and `.env` would hold).
 */
export function interpolate(text: string, variables: Readonly<Record<string, string | undefined>>): string {
  return text.replace(VARIABLE, (whole, name: string | undefined, colon: string | undefined, operator: string | undefined, operand: string | undefined) => {
    if (whole === '$$') return '$';
    const value = variables[name!];
    const missing = value === undefined || (colon === ':' && value === '');
    if (operator === '-') return missing ? operand! : value!;
    if (operator === '?' && missing) throw new Error(`${name} is required: ${operand}`);
    return value ?? '';
  });
}

function interpolateAll(value: unknown, variables: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof value === 'string') return interpolate(value, variables);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, variables));
  if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, variables)]));
  return value;
}

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  throw new Error(`${where}: expected a scalar`);
}

function environmentOf(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry) => {
        const text = scalar(entry, where);
        const equals = text.indexOf('=');
        return equals < 0 ? [text, ''] : [text.slice(0, equals), text.slice(equals + 1)];
      }),
    );
  }
  if (!isPlain(value)) throw new Error(`${where}: expected a map or a list`);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scalar(item, `${where}.${key}`)]));
}

/** Parses `[host_ip:][published:]target[/protocol]`. */
export function parsePort(spec: string): PortMapping {
  const parts = spec.replace(/\/(tcp|udp)$/, '').split(':');
  const number = (text: string): number => {
    if (!/^\d{1,5}$/.test(text)) throw new Error(`port "${spec}": "${text}" is not a port number`);
    return Number(text);
  };
  if (parts.length === 1) return { target: number(parts[0]!) };
  if (parts.length === 2) return { published: number(parts[0]!), target: number(parts[1]!) };
  if (parts.length === 3) return { hostIp: parts[0]!, published: number(parts[1]!), target: number(parts[2]!) };
  throw new Error(`port "${spec}": not [host_ip:][published:]target`);
}

function healthcheckOf(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!isPlain(value)) throw new Error(`${where}: expected a map`);
  const test = value.test;
  if (typeof test === 'string') return ['CMD-SHELL', test];
  if (!Array.isArray(test)) throw new Error(`${where}.test: expected a list or a string`);
  return test.map((item) => scalar(item, `${where}.test`));
}

function dependsOnOf(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [scalar(name, where), 'service_started']));
  if (!isPlain(value)) throw new Error(`${where}: expected a map or a list`);
  return Object.fromEntries(
    Object.entries(value).map(([name, condition]) => [name, isPlain(condition) ? scalar(condition.condition, `${where}.${name}`) : 'service_started']),
  );
}

function serviceOf(name: string, value: unknown): ComposeService {
  if (!isPlain(value)) throw new Error(`services.${name}: expected a map`);
  const where = `services.${name}`;
  const build = value.build;
  const hostname = value.hostname === undefined ? undefined : scalar(value.hostname, `${where}.hostname`);
  const healthcheck = healthcheckOf(value.healthcheck, `${where}.healthcheck`);
  return {
    name,
    ...(value.image === undefined ? {} : { image: scalar(value.image, `${where}.image`) }),
    ...(build === undefined
      ? {}
      : {
          build: isPlain(build)
            ? { context: scalar(build.context ?? '.', `${where}.build.context`), dockerfile: scalar(build.dockerfile ?? 'Dockerfile', `${where}.build.dockerfile`) }
            : { context: scalar(build, `${where}.build`), dockerfile: 'Dockerfile' },
        }),
    environment: environmentOf(value.environment, `${where}.environment`),
    ports: Array.isArray(value.ports) ? value.ports.map((port) => parsePort(scalar(port, `${where}.ports`))) : [],
    ...(healthcheck ? { healthcheck } : {}),
    dependsOn: dependsOnOf(value.depends_on, `${where}.depends_on`),
    volumes: Array.isArray(value.volumes)
      ? value.volumes.map((volume) => {
          const [source = '', target = ''] = scalar(volume, `${where}.volumes`).split(':');
          return { source, target };
        })
      : [],
    readOnly: value.read_only === true,
    ...(hostname === undefined ? {} : { hostname }),
  };
}

/** Parses a compose file (YAML merge keys resolved, values interpolated against `variables`). */
export function parseComposeFile(text: string, variables: Readonly<Record<string, string | undefined>> = {}): ComposeFile {
  const document: unknown = interpolateAll(parse(text, { merge: true }), variables);
  if (!isPlain(document) || !isPlain(document.services)) throw new Error('a compose file needs a services map');
  return {
    services: Object.fromEntries(Object.entries(document.services).map(([name, service]) => [name, serviceOf(name, service)])),
    volumes: isPlain(document.volumes) ? Object.keys(document.volumes) : [],
  };
}

/** Reads and parses a compose file with no variables set: every default applies. */
export function readComposeFile(path: string): ComposeFile {
  return parseComposeFile(readFileSync(path, 'utf8'));
}
