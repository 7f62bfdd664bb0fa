import { execFile } from 'node:child_process';
import { LoggerService } from '@nestjs/common';
import { AgentOsMetrics, ReadinessChecks, startOpsServer } from '@agentos/runtime';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DeployedService, deployedServices, REPO_ROOT } from './compose-deployment';
import { DockerIgnore } from './dockerignore';
import { copiesOf, DockerStage, execForm, finalStage, instructionsOf } from './dockerfile';
import { runtimeClosure } from './runtime-closure';
import { AgentOsService } from './service-configs';

const BASE_IMAGE = 'node:20.20-bookworm-slim';
const HEALTH_PATHS = ['/health/live', '/health/ready'];
const BUILD_TOOLS = /\b(python3?|make|g\+\+|gcc|build-essential|node-gyp)\b/;
/** Marks where the three service Dockerfiles may start to differ. */
const SERVICE_SPECIFIC_MARKER = '# --- service-specific';
/** The variable naming each service's data folder: it must be a writable volume (the root filesystem may be read-only). */
const DATA_DIRECTORIES: Partial<Record<AgentOsService, string>> = { supervisor: 'MEMORY_DATA_DIR', 'worker-io': 'IO_FS_ROOT' };

interface PackageJson {
  readonly workspaces: readonly string[];
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
}

const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
const services = deployedServices();

function stageNamed(stages: readonly DockerStage[], name: string): DockerStage {
  const stage = stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`no stage named ${name}`);
  return stage;
}

function runCommands(stage: DockerStage): string[] {
  return instructionsOf(stage, 'RUN').map((instruction) => instruction.args);
}

/** The program the image runs: ENTRYPOINT then CMD, both in exec form. */
function startCommand(stage: DockerStage): string[] {
  const last = (keyword: string): string[] => {
    const found = instructionsOf(stage, keyword);
    return found.length === 0 ? [] : execForm(found[found.length - 1]!.args);
  };
  return [...last('ENTRYPOINT'), ...last('CMD')];
}

function healthcheckCommand(stage: DockerStage): string[] {
  const found = instructionsOf(stage, 'HEALTHCHECK');
  if (found.length === 0) throw new Error('no HEALTHCHECK');
  return execForm(found[found.length - 1]!.args);
}

/** Folders (repository-relative) of every npm workspace package.json declares. */
function workspaceFolders(): string[] {
  return packageJson.workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(REPO_ROOT, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(REPO_ROOT, parent, entry.name, 'package.json')))
      .map((entry) => `${parent}/${entry.name}`);
  });
}

/** Repository-relative paths of the files under `folder`, node_modules left out. */
function filesUnder(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(REPO_ROOT.length + 1))
    .filter((path) => !path.split('/').includes('node_modules'));
}

/** Runs a command with `env` added to this process's environment; resolves to its exit code. */
function exitCode(command: readonly string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    execFile(command[0]!, command.slice(1), { env: { ...process.env, ...env }, timeout: 15_000 }, (error) => {
      resolve(error ? (typeof error.code === 'number' ? error.code : -1) : 0);
    });
  });
}

/** A real HTTP server on loopback answering `status()` on `path` and 404 elsewhere. */
async function healthServer(path: string, status: () => number): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    response.statusCode = request.url === path ? status() : 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const quiet: LoggerService = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe.each(services.map((service) => [service.name, service] as const))('the %s image', (name, service) => {
  const image = finalStage(service.stages);
  const closure = runtimeClosure(REPO_ROOT, `services/${name}/src/main.ts`);

  it('is built by compose from its own Dockerfile with the repository as context, tagged agentos/<service>', () => {
    expect(resolve(REPO_ROOT, service.compose.build!.context)).toBe(REPO_ROOT);
    expect(service.dockerfilePath).toBe(`services/${name}/Dockerfile`);
    expect(service.compose.image).toMatch(new RegExp(`^agentos/${name}:[\\w.-]+$`));
  });

  it(`starts dist/services/${name}/src/main.js, compiled from services/${name}/src/main.ts, under tini`, () => {
    const command = startCommand(image);
    expect(command).toEqual(['/usr/bin/tini', '--', 'node', `dist/services/${name}/src/main.js`]);
    expect(runCommands(image).join('\n')).toMatch(/apt-get install -y --no-install-recommends tini\b/);
    expect(existsSync(join(REPO_ROOT, 'services', name, 'src', 'main.ts'))).toBe(true);
    expect(instructionsOf(image, 'WORKDIR').map((instruction) => instruction.args)).toEqual(['/app']);
  });

  it('holds the compiled code of exactly the workspace projects main.ts loads, from the build stage', () => {
    const distCopies = copiesOf(image).filter((copy) => copy.destination.startsWith('./dist/'));
    for (const copy of distCopies) {
      expect(copy.from).toBe('build');
      expect(copy.sources).toEqual([`/app/${copy.destination.slice(2)}`]);
    }
    expect(distCopies.map((copy) => copy.destination.slice('./dist/'.length)).sort()).toEqual([...closure.workspaceProjects].sort());
    expect(closure.assets).toEqual([]);
  });

  it('has every npm package main.ts loads among the production dependencies', () => {
    const production = new Set(Object.keys(packageJson.dependencies));
    expect([...closure.packages].filter((name) => !production.has(name))).toEqual([]);
  });

  it('publishes its ops port: the container port is OPS_HTTP_PORT and the EXPOSEd port', () => {
    const port = Number(service.environment.OPS_HTTP_PORT);
    expect(port).toBeGreaterThan(0);
    expect(service.environment.OPS_HTTP_HOST).toBe('0.0.0.0');
    expect(service.compose.ports.map((mapping) => mapping.target)).toEqual([port]);
    expect(instructionsOf(image, 'EXPOSE').flatMap((instruction) => instruction.args.split(' '))).toEqual([String(port)]);
  });

  it('checks its health on a health endpoint of the ops port, with node (slim images have no curl)', () => {
    const command = healthcheckCommand(image);
    expect(command[0]).toBe('node');
    const script = command.join(' ');
    expect(HEALTH_PATHS.filter((path) => script.includes(`'${path}'`))).toHaveLength(1);
    expect(script).toContain('process.env.OPS_HTTP_PORT');
    expect(script).toContain('127.0.0.1');
    const composeCheck = service.compose.healthcheck;
    if (composeCheck) expect(HEALTH_PATHS.some((path) => composeCheck.join(' ').includes(path))).toBe(true);
  });

  it('healthcheck command passes on 200 from the ops port, and fails on 503 or when nothing listens', async () => {
    const command = healthcheckCommand(image);
    const path = HEALTH_PATHS.find((candidate) => command.join(' ').includes(`'${candidate}'`))!;
    let status = 200;
    const { server, port } = await healthServer(path, () => status);
    try {
      expect(await exitCode(command, { OPS_HTTP_PORT: String(port) })).toBe(0);
      status = 503;
      expect(await exitCode(command, { OPS_HTTP_PORT: String(port) })).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await exitCode(command, { OPS_HTTP_PORT: String(port) })).toBe(1);
  });

  it("healthcheck command passes against the ops server every service process starts", async () => {
    const server = await startOpsServer({ host: '127.0.0.1', port: 0, metrics: new AgentOsMetrics(), readiness: new ReadinessChecks(), logger: quiet });
    try {
      expect(await exitCode(healthcheckCommand(image), { OPS_HTTP_PORT: String(server.port) })).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('keeps its data, if any, on a volume in a folder the node user owns; the root filesystem is read-only', () => {
    expect(service.compose.readOnly).toBe(true);
    const variable = DATA_DIRECTORIES[name];
    if (!variable) {
      expect(service.compose.volumes).toEqual([]);
      return;
    }
    const folder = service.environment[variable]!;
    expect(folder).toMatch(/^\/[\w/-]+$/);
    expect(service.compose.volumes.map((volume) => volume.target)).toEqual([folder]);
    expect(runCommands(image)).toContain(`mkdir -p ${folder} && chown node:node ${folder}`);
  });

  describe('Dockerfile hygiene', () => {
    it('is multi-stage on pinned base images: never latest, never untagged', () => {
      expect(service.stages.length).toBeGreaterThan(1);
      const stageNames = new Set(service.stages.flatMap((stage) => (stage.name ? [stage.name] : [])));
      for (const { image: base } of service.stages) {
        if (stageNames.has(base)) continue;
        expect(base).toMatch(/^[\w./-]+:[\w.-]*\d[\w.-]*$/);
        expect(base).not.toMatch(/:latest$/);
      }
      expect(image.image).toBe(BASE_IMAGE);
    });

    it('runs as the unprivileged node user', () => {
      const users = instructionsOf(image, 'USER').map((instruction) => instruction.args);
      expect(users.length).toBeGreaterThan(0);
      expect(users[users.length - 1]).toBe('node');
    });

    it('takes node_modules from a stage that installed production dependencies only', () => {
      const moduleCopies = copiesOf(image).filter((copy) => copy.destination.includes('node_modules'));
      expect(moduleCopies).toHaveLength(1);
      const source = stageNamed(service.stages, moduleCopies[0]!.from!);
      const installs = runCommands(source)
        .join(' && ')
        .split('&&')
        .filter((command) => /\bnpm (ci|install|i)\b/.test(command));
      expect(installs.length).toBeGreaterThan(0);
      for (const install of installs) expect(install).toMatch(/\bnpm ci --omit=dev\b/);
    });

    it('installs no build tools in the image and copies nothing but from its build stages', () => {
      for (const command of runCommands(image)) {
        expect(command).not.toMatch(BUILD_TOOLS);
        expect(command).not.toMatch(/\bnpm\b/);
      }
      for (const copy of copiesOf(image)) expect(copy.from).toBeDefined();
      expect(instructionsOf(image, 'ENV').map((instruction) => instruction.args).join(' ')).toMatch(/\bNODE_ENV=production\b/);
    });

    it('compiles with `npm ci` and `npm run build` in its build stage', () => {
      const build = stageNamed(service.stages, 'build');
      expect(runCommands(build)).toEqual(['npm ci --ignore-scripts', 'npm run build']);
      expect(build.instructions.find((instruction) => instruction.keyword === 'RUN')!.flags.mount).toBe('type=cache,target=/root/.npm');
      expect(packageJson.scripts.build).toMatch(/^swc libs services .*-d dist\b/);
    });

    it('copies into its build stages only files the build context holds', () => {
      const ignore = new DockerIgnore(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));
      for (const stage of service.stages) {
        for (const copy of copiesOf(stage).filter((candidate) => !candidate.from)) {
          for (const source of copy.sources.filter((path) => path !== '.')) {
            expect(existsSync(join(REPO_ROOT, source))).toBe(true);
            expect(ignore.includes(source)).toBe(true);
          }
        }
      }
    });
  });
});

describe('the service images together', () => {
  it('publish their ops ports on distinct host ports, on loopback', () => {
    const published = services.flatMap((service) => service.compose.ports.map((mapping) => mapping.published));
    expect(published.every((port) => typeof port === 'number')).toBe(true);
    expect(new Set(published).size).toBe(published.length);
    expect(services.flatMap((service) => service.compose.ports.map((mapping) => mapping.hostIp))).toEqual(services.map(() => '127.0.0.1'));
  });

  it('share their Dockerfiles down to the service-specific part, so the build stages are built once', () => {
    const common = (service: DeployedService): string => {
      const text = service.dockerfileText.replaceAll(service.name, '<service>');
      const marker = text.indexOf(SERVICE_SPECIFIC_MARKER);
      expect(marker).toBeGreaterThan(0);
      return text.slice(0, marker);
    };
    const [first, ...others] = services.map(common);
    for (const other of others) expect(other).toBe(first);
  });

  it('are built from a context that holds what npm ci and npm run build read, and no secrets, dependencies or outputs', () => {
    const ignore = new DockerIgnore(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));
    const needed = [
      'package.json',
      'package-lock.json',
      '.swcrc',
      ...workspaceFolders().map((folder) => `${folder}/package.json`),
      ...['libs', 'services', 'apps', 'bench'].flatMap(filesUnder).filter((path) => path.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(path)),
    ];
    expect(needed.filter((path) => !ignore.includes(path))).toEqual([]);
    const excluded = ['.env', 'libs/runtime/.env', '.git/HEAD', 'node_modules/kafkajs/package.json', 'libs/runtime/node_modules/x/index.js', 'dist/services/supervisor/src/main.js', 'e2e/src/x.ts', 'libs/runtime/src/config/transport.config.spec.ts', 'services/supervisor/Dockerfile', 'docs/reliability.md', '.kafka/lib/kafka.jar'];
    expect(excluded.filter((path) => ignore.includes(path))).toEqual([]);
  });
});
