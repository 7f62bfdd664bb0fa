import type { IKafka } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/Kafka';
import type { IKafkaTopic } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaTopic';
import type { IKafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaUser';
import { TopicRegistry } from '@agentos/contracts';
import { brokerPorts } from '../kafka/strimzi-cluster';
import { K8sResource } from '../manifest/k8s-resource';
import { kafkaTopics } from '../topics/kafka-topics';
import { topicsOf } from '../topics/topics-file';
import { containerEnvironment, startEnvironment } from './container-environment';
import { guardedRead } from './guarded-read';
import { Problem, problem } from './problem';
import { deployments, ofKind, podContainers, RenderedTarget } from './rendered-target';
import { serviceProfile } from './service-profiles';
import { jsonEqual } from '../manifest/json-equal';

/**
 * The KafkaTopics are exactly the registry's topics (names, partitions, configs) for the
 * environment the services run with, on the Strimzi cluster KAFKA_BROKERS points at, and the
 * services leave topic creation to Strimzi. A Kafka cluster the target brings itself listens on
 * the KAFKA_BROKERS port with the services' TLS and SASL settings. With SASL, a KafkaUser of that cluster named
 * KAFKA_SASL_USERNAME takes its password from the same secret key as the services, and its ACLs
 * cover every topic and consumer group the services use.
 */
export function kafkaResourceProblems(target: RenderedTarget): Problem[] {
  const problems: Problem[] = [];
  const deployment = deployments(target)[0];
  const container = deployment && podContainers(deployment)[0];
  if (!deployment || !container) return [problem(target.name, 'renders no Deployment')];
  const environment = containerEnvironment(container, target);
  const topics = guardedRead(() => topicsOf(startEnvironment(environment)), (message) => problems.push(problem(deployment, message)));
  if (!topics) return problems;
  if (topics.transport.KAFKA_CREATE_TOPICS) problems.push(problem(deployment, 'KAFKA_CREATE_TOPICS must be false: Strimzi owns the topics'));

  const expected = new Map(kafkaTopics(topics.registry, topics.cluster).map((topic) => [topic.spec?.topicName, topic]));
  const rendered = ofKind<IKafkaTopic>(target, 'KafkaTopic');
  for (const topic of rendered) {
    const name = topic.spec?.topicName ?? topic.metadata.name;
    const wanted = expected.get(name);
    if (!wanted) problems.push(problem(topic, `${name} is no topic of the registry`));
    else if (!jsonEqual(topic.spec, wanted.spec) || !jsonEqual(topic.metadata.labels, wanted.metadata?.labels)) {
      problems.push(problem(topic, `differs from the registry: expected spec ${JSON.stringify(wanted.spec)} and labels ${JSON.stringify(wanted.metadata?.labels)} (npm run k8s:topics)`));
    }
    expected.delete(name);
  }
  for (const name of expected.keys()) problems.push(problem(target.name, `no KafkaTopic for ${name} (npm run k8s:topics)`));

  for (const cluster of ofKind<IKafka>(target, 'Kafka').filter((candidate) => candidate.metadata.name === topics.cluster)) {
    for (const port of brokerPorts(topics.transport.KAFKA_BROKERS)) {
      const listener = cluster.spec?.kafka.listeners.find((candidate) => candidate.port === port);
      const mechanism = environment.values.KAFKA_SASL_MECHANISM;
      if (!listener) problems.push(problem(cluster, `has no listener on ${port}, the KAFKA_BROKERS port`));
      else if (listener.tls !== topics.transport.KAFKA_SSL || listener.authentication?.type !== mechanism) {
        problems.push(problem(cluster, `listener ${listener.name} must have tls ${topics.transport.KAFKA_SSL} and authentication ${mechanism ?? 'none'}, as the services connect`));
      }
    }
  }

  const users = ofKind<IKafkaUser>(target, 'KafkaUser');
  const username = environment.values.KAFKA_SASL_USERNAME;
  if (!environment.values.KAFKA_SASL_MECHANISM) {
    for (const user of users) problems.push(problem(user, 'a KafkaUser but the services use no SASL'));
    return problems;
  }
  const user = users.find((candidate) => candidate.metadata.name === username);
  if (!user) return [...problems, problem(target.name, `KAFKA_SASL_USERNAME ${username ?? '(unset)'} has no KafkaUser`)];
  problems.push(...userProblems(user, topics.registry, topics.cluster, target, environment.secrets.get('KAFKA_SASL_PASSWORD')));
  return problems;
}

function userProblems(
  user: IKafkaUser & K8sResource,
  registry: TopicRegistry,
  cluster: string,
  target: RenderedTarget,
  password: { secret: string; key: string } | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const report = (message: string) => problems.push(problem(user, message));
  if (user.metadata.labels?.['strimzi.io/cluster'] !== cluster) report(`must carry strimzi.io/cluster: ${cluster}`);
  const mechanism = user.spec?.authentication?.type;
  const secretRef = user.spec?.authentication && 'password' in user.spec.authentication ? user.spec.authentication.password?.valueFrom.secretKeyRef : undefined;
  if (mechanism !== 'scram-sha-512') report('authentication must be scram-sha-512');
  if (!password || secretRef?.name !== password.secret || secretRef.key !== password.key) {
    report(`password must come from the services' KAFKA_SASL_PASSWORD secret key (${password ? `${password.secret}/${password.key}` : 'none'})`);
  }
  const acls = user.spec?.authorization?.acls ?? [];
  const allows = (type: 'topic' | 'group', name: string, operation: string) =>
    acls.some((acl) => {
      const resource = acl.resource as { type: string; name?: string; patternType?: string };
      const named = resource.patternType === 'prefix' ? name.startsWith(resource.name ?? '') : resource.name === name || resource.name === '*';
      return resource.type === type && named && (acl.operations ?? []).some((candidate) => candidate === operation || candidate === 'All');
    });
  for (const spec of registry.specs()) {
    for (const operation of ['Describe', 'Read', 'Write']) if (!allows('topic', spec.name, operation)) report(`ACLs do not allow ${operation} on topic ${spec.name}`);
  }
  const groups = new Set<string>();
  for (const deployment of deployments(target)) {
    const container = podContainers(deployment)[0];
    const profile = serviceProfile(deployment.metadata.name);
    const subscription = container && profile && guardedRead(() => profile.scalingSubscription(startEnvironment(containerEnvironment(container, target)), registry), report);
    if (subscription) groups.add(subscription.groupId);
  }
  // Per-instance groups (control, capabilities, runs) share the namespace's group prefix.
  groups.add(registry.group('per-instance'));
  for (const group of groups) {
    for (const operation of ['Describe', 'Read']) if (!allows('group', group, operation)) report(`ACLs do not allow ${operation} on group ${group}`);
  }
  return problems;
}
