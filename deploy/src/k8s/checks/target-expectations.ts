import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { loadConfig, TransportConfig, topicRegistryFrom } from '@agentos/runtime';
import { TargetName } from '../layout';
import { parseImage } from '../kustomize/render-kustomization';
import { containerEnvironment, startEnvironment } from './container-environment';
import { guardedRead } from './guarded-read';
import { Problem, problem } from './problem';
import { deployments, ofKind, podContainers, RenderedTarget } from './rendered-target';
import { serviceProfile } from './service-profiles';

const RELEASE_TAG = /^[0-9]+\.[0-9]+\.[0-9]+$/;

/** What one target promises beyond the rules every target follows. */
export interface TargetExpectations {
  /** Every namespaced object's namespace; undefined: none set (the base). */
  readonly namespace: string | undefined;
  readonly imageTag: { readonly pattern: RegExp; readonly description: string };
  readonly minReplicas: number;
  /** `partitions`: as many as the scaled topic has partitions; a number: exactly that. */
  readonly maxReplicas: number | 'partitions';
  readonly disruptionBudget: 'maxUnavailable' | 'minAvailable';
  /** Secret keys a pod must not start without, by service (`*`: every service). */
  readonly requiredSecrets: Readonly<Record<string, readonly string[]>>;
  /** Kafka over SASL and TLS. */
  readonly secureKafka: boolean;
}

export const TARGET_EXPECTATIONS: Readonly<Record<TargetName, TargetExpectations>> = {
  base: {
    namespace: undefined,
    imageTag: { pattern: RELEASE_TAG, description: 'a release version' },
    minReplicas: 1,
    maxReplicas: 'partitions',
    disruptionBudget: 'maxUnavailable',
    requiredSecrets: {},
    secureKafka: false,
  },
  dev: {
    namespace: 'agentos-dev',
    imageTag: { pattern: /^dev$/, description: 'dev' },
    minReplicas: 1,
    maxReplicas: 1,
    disruptionBudget: 'maxUnavailable',
    requiredSecrets: {},
    secureKafka: false,
  },
  prod: {
    namespace: 'agentos',
    imageTag: { pattern: RELEASE_TAG, description: 'a pinned release version' },
    minReplicas: 2,
    maxReplicas: 'partitions',
    disruptionBudget: 'minAvailable',
    requiredSecrets: { '*': ['KAFKA_SASL_PASSWORD'], supervisor: ['DATABASE_URL'] },
    secureKafka: true,
  },
};

/** Checks a target against its expectations: namespace, image tags, replica bounds, budgets, required secrets, Kafka security. */
export function targetExpectationProblems(target: RenderedTarget, expectations: TargetExpectations): Problem[] {
  const problems: Problem[] = [];
  for (const resource of target.resources) {
    if (resource.metadata.namespace !== expectations.namespace) {
      problems.push(problem(resource, `namespace ${resource.metadata.namespace ?? '(none)'}, expected ${expectations.namespace ?? '(none)'}`));
    }
  }
  const scaledObjects = ofKind<IScaledObject>(target, 'ScaledObject');
  for (const deployment of deployments(target)) {
    const report = (message: string) => problems.push(problem(deployment, message));
    const name = deployment.metadata.name;
    for (const container of podContainers(deployment)) {
      const image = parseImage(container.image ?? '');
      if (image.name !== `agentos/${name}`) report(`container ${container.name}: image ${container.image} is not agentos/${name}`);
      if (!expectations.imageTag.pattern.test(image.tag ?? '')) report(`container ${container.name}: image tag ${image.tag ?? '(none)'} must be ${expectations.imageTag.description}`);
      const environment = containerEnvironment(container, target);
      for (const key of [...(expectations.requiredSecrets['*'] ?? []), ...(expectations.requiredSecrets[name] ?? [])]) {
        const reference = environment.secrets.get(key);
        if (!reference || reference.optional) report(`container ${container.name}: ${key} must come from a Secret and not be optional`);
      }
      const secure = environment.values.KAFKA_SASL_MECHANISM !== undefined && environment.values.KAFKA_SSL === 'true';
      if (secure !== expectations.secureKafka) report(`container ${container.name}: Kafka SASL and TLS must be ${expectations.secureKafka ? 'on' : 'off'}`);
      const scaledObject = scaledObjects.find((candidate) => candidate.spec.scaleTargetRef.name === name);
      const profile = serviceProfile(name);
      if (!scaledObject || !profile) continue;
      const partitions = guardedRead(() => {
        const registry = topicRegistryFrom(loadConfig(TransportConfig, startEnvironment(environment)));
        const topics = profile.scalingSubscription(startEnvironment(environment), registry).topics;
        return Math.min(...topics.map((topic) => registry.resolve(topic)?.partitions ?? 0));
      }, report);
      if (partitions === undefined) continue;
      const maxReplicas = expectations.maxReplicas === 'partitions' ? partitions : expectations.maxReplicas;
      if (scaledObject.spec.maxReplicaCount !== maxReplicas) problems.push(problem(scaledObject, `maxReplicaCount must be ${maxReplicas}`));
      if (scaledObject.spec.minReplicaCount !== expectations.minReplicas) problems.push(problem(scaledObject, `minReplicaCount must be ${expectations.minReplicas}`));
    }
  }
  for (const budget of ofKind<IPodDisruptionBudget>(target, 'PodDisruptionBudget')) {
    const value = budget.spec?.[expectations.disruptionBudget];
    const other = budget.spec?.[expectations.disruptionBudget === 'minAvailable' ? 'maxUnavailable' : 'minAvailable'];
    if (value === undefined || value === 0 || value === '0%' || other !== undefined) problems.push(problem(budget, `must set only ${expectations.disruptionBudget}, at least 1`));
  }
  return problems;
}
