import type { IKafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaUser';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { K8sResource } from '../manifest/k8s-resource';
import { containerEnvironment } from './container-environment';
import { Problem, problem } from './problem';
import { deployments, ofKind, podContainers, RenderedTarget } from './rendered-target';

/** The Secret every target reads, created out of band from secret.example.yaml. */
export const SECRET_NAME = 'agentos-secrets';

/**
 * No target renders a Secret (real values never live in git); the template is a Secret named
 * agentos-secrets with every value empty, and lists exactly the keys that some target reads
 * from it (Deployments, the KafkaUser's password, KEDA's TriggerAuthentication).
 */
export function secretTemplateProblems(template: readonly K8sResource[], targets: readonly RenderedTarget[]): Problem[] {
  const problems: Problem[] = [];
  const secret = template.find((resource): resource is ISecret & K8sResource => resource.kind === 'Secret' && resource.metadata.name === SECRET_NAME);
  if (template.length !== 1 || !secret) return [problem('secret.example.yaml', `must hold exactly one Secret named ${SECRET_NAME}`)];
  const values = { ...(secret.data ?? {}), ...(secret.stringData ?? {}) };
  for (const [key, value] of Object.entries(values)) if (value !== '') problems.push(problem(secret, `${key} must be empty in the template`));

  const used = new Set<string>();
  for (const target of targets) {
    for (const rendered of ofKind<ISecret>(target, 'Secret')) problems.push(problem(rendered, `${target.name} renders a Secret: secrets are created out of band`));
    for (const deployment of deployments(target)) {
      for (const container of podContainers(deployment)) {
        for (const reference of containerEnvironment(container, target).secrets.values()) if (reference.secret === SECRET_NAME) used.add(reference.key);
      }
    }
    for (const user of ofKind<IKafkaUser>(target, 'KafkaUser')) {
      const authentication = user.spec?.authentication;
      const secretRef = authentication && 'password' in authentication ? authentication.password?.valueFrom.secretKeyRef : undefined;
      if (secretRef?.name === SECRET_NAME && secretRef.key) used.add(secretRef.key);
    }
    for (const authentication of ofKind<ITriggerAuthentication>(target, 'TriggerAuthentication')) {
      for (const reference of authentication.spec.secretTargetRef ?? []) if (reference.name === SECRET_NAME) used.add(reference.key);
    }
  }
  for (const key of used) if (!(key in values)) problems.push(problem(secret, `lacks ${key}, which the manifests read`));
  for (const key of Object.keys(values)) if (!used.has(key)) problems.push(problem(secret, `lists ${key}, which no manifest reads`));
  return problems;
}
