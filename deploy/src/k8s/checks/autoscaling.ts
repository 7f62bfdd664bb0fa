import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { loadConfig, TransportConfig, topicRegistryFrom } from '@agentos/runtime';
import { K8sResource } from '../manifest/k8s-resource';
import { containerEnvironment, startEnvironment } from './container-environment';
import { guardedRead } from './guarded-read';
import { Problem, problem } from './problem';
import { deployments, ofKind, podContainers, podLabels, RenderedTarget, selects } from './rendered-target';
import { serviceProfile } from './service-profiles';

/** KEDA's names for the SASL mechanisms of KAFKA_SASL_MECHANISM. */
export const KEDA_SASL: Readonly<Record<string, string>> = { plain: 'plaintext', 'scram-sha-256': 'scram_sha256', 'scram-sha-512': 'scram_sha512' };

/**
 * Every Deployment has one PodDisruptionBudget and one KEDA ScaledObject, and leaves `replicas`
 * to it. The ScaledObject watches the group and topic the service really consumes (from the
 * service's subscription code), with lagThreshold = what one instance takes off the bus, the
 * same offset reset as the consumer, never more replicas than the topic has partitions, and the
 * services' own Kafka connection settings (brokers, SASL, TLS).
 */
export function autoscalingProblems(target: RenderedTarget): Problem[] {
  const scaledObjects = ofKind<IScaledObject>(target, 'ScaledObject');
  const budgets = ofKind<IPodDisruptionBudget>(target, 'PodDisruptionBudget');
  const problems: Problem[] = [];
  for (const deployment of deployments(target)) {
    const report = (message: string) => problems.push(problem(deployment, message));
    const covering = budgets.filter((budget) => selects(budget.spec?.selector?.matchLabels, podLabels(deployment)));
    if (covering.length !== 1) report(`needs exactly one PodDisruptionBudget, found ${covering.length}`);
    const scaling = scaledObjects.filter((scaledObject) => scaledObject.spec.scaleTargetRef.name === deployment.metadata.name);
    if (scaling.length !== 1) {
      report(`needs exactly one ScaledObject, found ${scaling.length}`);
      continue;
    }
    if (deployment.spec?.replicas !== undefined) report('sets replicas, which its ScaledObject owns');
    problems.push(...scaledObjectProblems(scaling[0]!, deployment, target));
  }
  for (const scaledObject of scaledObjects) {
    if (!deployments(target).some((deployment) => deployment.metadata.name === scaledObject.spec.scaleTargetRef.name)) {
      problems.push(problem(scaledObject, `scales ${scaledObject.spec.scaleTargetRef.name}, which is no Deployment`));
    }
  }
  return problems;
}

function scaledObjectProblems(scaledObject: IScaledObject & K8sResource, deployment: IDeployment, target: RenderedTarget): Problem[] {
  const problems: Problem[] = [];
  const report = (message: string) => problems.push(problem(scaledObject, message));
  const profile = serviceProfile(deployment.metadata?.name ?? '');
  const container = podContainers(deployment)[0];
  if (!profile || !container) return problems;
  const environment = startEnvironment(containerEnvironment(container, target));
  const started = guardedRead(() => {
    const transport = loadConfig(TransportConfig, environment);
    const registry = topicRegistryFrom(transport);
    return { transport, registry, subscription: profile.scalingSubscription(environment, registry) };
  }, report);
  if (!started) return problems;
  const { transport, registry, subscription } = started;
  const { minReplicaCount = 0, maxReplicaCount = 100 } = scaledObject.spec;
  if (minReplicaCount < 1) report('minReplicaCount must be at least 1 (a pool must exist to announce itself)');
  if (minReplicaCount > maxReplicaCount) report('minReplicaCount above maxReplicaCount');
  const partitions = Math.min(...subscription.topics.map((topic) => registry.resolve(topic)?.partitions ?? 0));
  if (maxReplicaCount > partitions) report(`maxReplicaCount ${maxReplicaCount} above the ${partitions} partitions of ${subscription.topics.join(', ')}`);

  if (scaledObject.spec.triggers.length !== 1 || scaledObject.spec.triggers[0]!.type !== 'kafka') {
    report('needs exactly one trigger, of type kafka');
    return problems;
  }
  const trigger = scaledObject.spec.triggers[0]!;
  const metadata = trigger.metadata;
  const expect = (field: string, expected: string | undefined) => {
    if (metadata[field] !== expected) report(`trigger ${field} is ${metadata[field] ?? 'unset'}, expected ${expected ?? 'unset'}`);
  };
  expect('bootstrapServers', transport.KAFKA_BROKERS.join(','));
  expect('consumerGroup', subscription.groupId);
  if (subscription.topics.length === 1) expect('topic', subscription.topics[0]);
  else if (metadata.topic !== undefined && !subscription.topics.includes(metadata.topic)) report(`trigger topic ${metadata.topic} is not consumed by ${subscription.groupId}`);
  // Lag beyond what one instance holds in flight means that instance is saturated.
  expect('lagThreshold', String(subscription.maxInFlight));
  expect('offsetResetPolicy', subscription.startFrom ?? 'earliest');
  if (metadata.allowIdleConsumers === 'true') report('allowIdleConsumers would scale past the partition count');

  const mechanism = environment.KAFKA_SASL_MECHANISM;
  expect('sasl', mechanism ? KEDA_SASL[mechanism] ?? `<no KEDA name for ${mechanism}>` : undefined);
  expect('tls', environment.KAFKA_SSL === 'true' ? 'enable' : undefined);
  const needed = [...(mechanism ? ['username', 'password'] : []), ...(environment.KAFKA_SSL_CA_FILE ? ['ca'] : [])];
  if (needed.length === 0) {
    if (trigger.authenticationRef) report('authenticationRef without SASL or a CA to authenticate with');
    return problems;
  }
  const authentication = ofKind<ITriggerAuthentication>(target, 'TriggerAuthentication').find((candidate) => candidate.metadata.name === trigger.authenticationRef?.name);
  if (!authentication) {
    report(`needs an authenticationRef to a TriggerAuthentication providing ${needed.join(', ')}`);
    return problems;
  }
  const provided = new Set([...(authentication.spec.secretTargetRef ?? []), ...(authentication.spec.configMapTargetRef ?? [])].map((ref) => ref.parameter));
  for (const parameter of needed) if (!provided.has(parameter)) problems.push(problem(authentication, `provides no ${parameter}`));
  return problems;
}
