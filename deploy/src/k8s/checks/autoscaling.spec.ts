import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { loadConfig, TransportConfig, topicRegistryFrom } from '@agentos/runtime';
import { WorkerConfig, workerSettings, workerSubscriptions } from '@agentos/worker-kit';
import { TARGET_NAMES } from '../layout';
import { problemAbout } from '../testing/expect-problem';
import { mutatedTarget, withoutResources } from '../testing/mutated-target';
import { autoscalingProblems } from './autoscaling';
import { containerEnvironment, startEnvironment } from './container-environment';
import { deployments, ofKind, podContainers, RenderedTarget, renderTarget } from './rendered-target';

function scaledObject(target: RenderedTarget, name: string): IScaledObject {
  return ofKind<IScaledObject>(target, 'ScaledObject').find((candidate) => candidate.metadata.name === name)!;
}

function environmentOf(target: RenderedTarget, name: string): Record<string, string> {
  const deployment = deployments(target).find((candidate) => candidate.metadata.name === name)!;
  return startEnvironment(containerEnvironment(podContainers(deployment)[0]!, target));
}

describe('autoscalingProblems', () => {
  it.each(TARGET_NAMES)('finds none in %s', (name) => {
    expect(autoscalingProblems(renderTarget(name))).toEqual([]);
  });

  it.each(['base', 'prod'] as const)('bounds the supervisor in %s by the registry goal partition count', (name) => {
    const target = renderTarget(name);
    const registry = topicRegistryFrom(loadConfig(TransportConfig, environmentOf(target, 'supervisor')));
    const goals = registry.specs().find((spec) => spec.role === 'goals')!;
    expect(scaledObject(target, 'supervisor').spec.maxReplicaCount).toBe(goals.partitions);
  });

  it.each([
    ['worker-io', 'io'],
    ['worker-logic', 'logic'],
  ])('scales %s on the group and topic its pool consumes', (name, workerType) => {
    const target = renderTarget('prod');
    const environment = environmentOf(target, name);
    const pool = workerSubscriptions(workerSettings(workerType, loadConfig(WorkerConfig, environment)), topicRegistryFrom(loadConfig(TransportConfig, environment)))[0]!;
    expect(scaledObject(target, name).spec.triggers[0]!.metadata).toMatchObject({
      consumerGroup: pool.groupId,
      topic: pool.topics[0],
      lagThreshold: String(pool.maxInFlight),
    });
  });

  const prod = renderTarget('prod');

  it.each([
    ['the wrong group', (s: any) => (s.spec.triggers[0].metadata.consumerGroup = 'agentos.worker'), /consumerGroup is agentos.worker, expected agentos.worker.io/],
    ['more replicas than partitions', (s: any) => (s.spec.maxReplicaCount = 13), /maxReplicaCount 13 above the 12 partitions of agentos.tasks.io.v1/],
    ['a lag threshold unrelated to the pool', (s: any) => (s.spec.triggers[0].metadata.lagThreshold = '5'), /lagThreshold is 5, expected 32/],
    ['other brokers than the services', (s: any) => (s.spec.triggers[0].metadata.bootstrapServers = 'agentos-kafka-kafka-bootstrap:9092'), /bootstrapServers/],
    ['no SASL while the services use it', (s: any) => delete s.spec.triggers[0].metadata.sasl, /sasl is unset, expected scram_sha512/],
    ['no credentials', (s: any) => delete s.spec.triggers[0].authenticationRef, /needs an authenticationRef/],
    ['scale to zero', (s: any) => (s.spec.minReplicaCount = 0), /minReplicaCount must be at least 1/],
    ['idle consumers', (s: any) => (s.spec.triggers[0].metadata.allowIdleConsumers = 'true'), /allowIdleConsumers/],
  ])('reports %s', (_, change, message) => {
    expect(autoscalingProblems(mutatedTarget(prod, 'ScaledObject', 'worker-io', change))).toContainEqual(problemAbout('ScaledObject/agentos/worker-io', message));
  });

  it('reports credentials KEDA cannot get, replicas fixed in a Deployment, and missing budgets or ScaledObjects', () => {
    const noUsername = mutatedTarget(prod, 'TriggerAuthentication', 'agentos-kafka', (a: any) => delete a.spec.configMapTargetRef);
    expect(autoscalingProblems(noUsername)).toContainEqual(problemAbout('TriggerAuthentication/agentos/agentos-kafka', /provides no username/));
    const fixed = mutatedTarget(prod, 'Deployment', 'supervisor', (d: any) => (d.spec.replicas = 3));
    expect(autoscalingProblems(fixed)).toEqual([problemAbout('Deployment/agentos/supervisor', /sets replicas, which its ScaledObject owns/)]);
    const unbudgeted = withoutResources(prod, (resource) => resource.kind === 'PodDisruptionBudget' && resource.metadata.name === 'worker-logic');
    expect(autoscalingProblems(unbudgeted)).toEqual([problemAbout('Deployment/agentos/worker-logic', /exactly one PodDisruptionBudget, found 0/)]);
    const unscaled = mutatedTarget(prod, 'ScaledObject', 'worker-logic', (s: any) => (s.spec.scaleTargetRef.name = 'worker-sql'));
    expect(autoscalingProblems(unscaled)).toEqual([
      problemAbout('Deployment/agentos/worker-logic', /exactly one ScaledObject, found 0/),
      problemAbout('ScaledObject/agentos/worker-logic', /scales worker-sql, which is no Deployment/),
    ]);
  });
});
