import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { loadConfig } from '@agentos/runtime';
import { containerEnvironment, startEnvironment } from './container-environment';
import { Problem, problem } from './problem';
import { deployments, ofKind, podContainers, RenderedTarget } from './rendered-target';
import { SERVICE_PROFILES, serviceProfile } from './service-profiles';

/** Variable names that hold secrets: they come from a Secret, never from a ConfigMap. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|API_KEY|DATABASE_URL|PRIVATE_KEY/;

/**
 * Each Deployment is one of the services, reads ConfigMaps that exist, and starts: its
 * environment (with stand-ins for its secrets) passes the configuration classes the service
 * validates at start. No ConfigMap carries a secret.
 */
export function serviceConfigProblems(target: RenderedTarget): Problem[] {
  const problems: Problem[] = [];
  for (const deployment of deployments(target)) {
    const profile = serviceProfile(deployment.metadata.name);
    if (!profile) {
      problems.push(problem(deployment, `is none of the services ${Object.keys(SERVICE_PROFILES).join(', ')}`));
      continue;
    }
    for (const container of podContainers(deployment)) {
      const environment = containerEnvironment(container, target);
      for (const name of environment.missingConfigMaps) problems.push(problem(deployment, `container ${container.name}: reads ConfigMap ${name}, which is not rendered`));
      // With only the required secrets, and with the optional ones too: the Secret may hold either.
      const refusals = new Set<string>();
      for (const variant of [startEnvironment(environment), startEnvironment(environment, true)]) {
        for (const configClass of profile.configClasses) {
          try {
            loadConfig(configClass, variant);
          } catch (error) {
            refusals.add((error as Error).message);
          }
        }
      }
      for (const refusal of refusals) problems.push(problem(deployment, `container ${container.name}: ${refusal}`));
    }
  }
  for (const configMap of ofKind<IConfigMap>(target, 'ConfigMap')) {
    for (const key of Object.keys(configMap.data ?? {}).filter((key) => SECRET_NAME.test(key))) {
      problems.push(problem(configMap, `${key} looks like a secret: put it in a Secret`));
    }
  }
  return problems;
}
