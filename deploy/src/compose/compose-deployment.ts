import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ComposeFile, ComposeService, readComposeFile } from './compose-file';
import { DockerStage, envOf, finalStage, parseDockerfile } from './dockerfile';
import { AGENTOS_SERVICES, AgentOsService } from './service-configs';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');

/** One AgentOS service as compose runs it: its compose entry, its image's Dockerfile and the environment it starts with. */
export interface DeployedService {
  readonly name: AgentOsService;
  readonly compose: ComposeService;
  /** Repository-relative path of the Dockerfile compose builds it from. */
  readonly dockerfilePath: string;
  readonly dockerfileText: string;
  readonly stages: readonly DockerStage[];
  /** The image's ENV defaults overlaid with compose's `environment`: what the process sees (minus the base image's). */
  readonly environment: Readonly<Record<string, string>>;
}

/** The compose file with every default value (no shell variables, no .env). */
export function composeFile(): ComposeFile {
  return readComposeFile(COMPOSE_FILE);
}

/** Every AgentOS service of the compose file; throws if one is missing or has no build. */
export function deployedServices(compose: ComposeFile = composeFile()): DeployedService[] {
  return AGENTOS_SERVICES.map((name) => {
    const service = compose.services[name];
    if (!service) throw new Error(`docker-compose.yml has no service ${name}`);
    if (!service.build) throw new Error(`docker-compose.yml: ${name} has no build`);
    const dockerfilePath = join(service.build.context, service.build.dockerfile);
    const dockerfileText = readFileSync(resolve(REPO_ROOT, dockerfilePath), 'utf8');
    const stages = parseDockerfile(dockerfileText);
    return {
      name,
      compose: service,
      dockerfilePath,
      dockerfileText,
      stages,
      environment: { ...envOf(finalStage(stages)), ...service.environment },
    };
  });
}
