import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { brokerPorts, strimziClusterOf } from '../kafka/strimzi-cluster';
import { K8sResource } from '../manifest/k8s-resource';
import { containerEnvironment } from './container-environment';
import { OPS_PORT, OPS_PORT_NAME } from './ops-endpoint';
import { Problem, problem } from './problem';
import { deployments, ofKind, podContainers, podLabels, RenderedTarget, selects } from './rendered-target';
import { serviceProfile } from './service-profiles';

/** Where Prometheus runs: the only source allowed to reach the ops port. */
export const MONITORING_NAMESPACE = 'monitoring';
const NAMESPACE_LABEL = 'kubernetes.io/metadata.name';
const DNS_PORT = 53;

/**
 * Every AgentOS pod is under a default-deny policy; ingress reaches only the ops port, only from
 * the monitoring namespace; egress reaches DNS (kube-dns), the Strimzi cluster's brokers on the
 * KAFKA_BROKERS port, and the service's own extra ports (PostgreSQL and HTTPS for the supervisor,
 * HTTP(S) for the io worker), nothing else.
 */
export function networkPolicyProblems(target: RenderedTarget): Problem[] {
  const policies = ofKind<INetworkPolicy>(target, 'NetworkPolicy');
  return deployments(target).flatMap((deployment) => podProblems(deployment, policies, target));
}

function podProblems(deployment: IDeployment & K8sResource, policies: Array<INetworkPolicy & K8sResource>, target: RenderedTarget): Problem[] {
  const problems: Problem[] = [];
  const report = (message: string) => problems.push(problem(deployment, message));
  const labels = podLabels(deployment);
  const applying = policies.filter((policy) => selects(policy.spec?.podSelector?.matchLabels, labels));
  const denyAll = applying.some(
    (policy) =>
      policy.spec?.policyTypes?.includes('Ingress') && policy.spec.policyTypes.includes('Egress') && !policy.spec.ingress?.length && !policy.spec.egress?.length,
  );
  if (!denyAll) report('no default-deny NetworkPolicy (Ingress and Egress, no rules) selects its pods');

  const ingress = applying.flatMap((policy) => policy.spec?.ingress ?? []);
  if (ingress.length === 0) report(`no NetworkPolicy lets ${MONITORING_NAMESPACE} scrape the ${OPS_PORT_NAME} port`);
  for (const rule of ingress) {
    const onlyOps = (rule.ports ?? []).length > 0 && rule.ports!.every((port) => port.port === OPS_PORT_NAME || port.port === OPS_PORT);
    const onlyMonitoring = (rule.from ?? []).length > 0 && rule.from!.every((peer) => isMonitoringNamespace(peer));
    if (!onlyOps || !onlyMonitoring) report(`ingress must be the ${OPS_PORT_NAME} port from namespace ${MONITORING_NAMESPACE} only`);
  }

  const environment = containerEnvironment(podContainers(deployment)[0] ?? { name: '' }, target).values;
  const brokers = (environment.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  let cluster: string | undefined;
  try {
    cluster = strimziClusterOf(brokers);
  } catch (error) {
    report((error as Error).message);
  }
  const egress = applying.flatMap((policy) => policy.spec?.egress ?? []);
  const allowed = new Set<string>();
  for (const rule of egress) {
    if (!rule.ports?.length) {
      report('an egress rule allows every port');
      continue;
    }
    for (const port of rule.ports) allowed.add(portKey(port));
  }
  const reaches = (port: number, protocol: string, peer: (candidate: INetworkPolicyPeer) => boolean) =>
    egress.some((rule) => rule.ports?.some((candidate) => portKey(candidate) === `${protocol}/${port}`) && (rule.to ?? []).some(peer));
  if (!reaches(DNS_PORT, 'UDP', isKubeDns) || !reaches(DNS_PORT, 'TCP', isKubeDns)) report('egress must reach kube-dns on UDP and TCP 53');
  for (const port of brokerPorts(brokers)) {
    if (cluster && !reaches(port, 'TCP', (peer) => peer.podSelector?.matchLabels?.['strimzi.io/cluster'] === cluster)) {
      report(`egress must reach the pods of Strimzi cluster ${cluster} on ${port} (KAFKA_BROKERS)`);
    }
  }
  const expected = new Set([
    `UDP/${DNS_PORT}`,
    `TCP/${DNS_PORT}`,
    ...brokerPorts(brokers).map((port) => `TCP/${port}`),
    ...(serviceProfile(deployment.metadata.name)?.otherEgressPorts ?? []).map((port) => `TCP/${port}`),
  ]);
  for (const port of expected) if (!allowed.has(port)) report(`egress must allow ${port}`);
  // Both Kafka listener ports are allowed whichever one KAFKA_BROKERS uses.
  for (const port of allowed) if (!expected.has(port) && port !== 'TCP/9092' && port !== 'TCP/9093') report(`egress allows ${port}, which the service does not use`);
  return problems;
}

function portKey(port: INetworkPolicyPort): string {
  return `${port.protocol ?? 'TCP'}/${String(port.port ?? '*')}`;
}

function isMonitoringNamespace(peer: INetworkPolicyPeer): boolean {
  const labels = peer.namespaceSelector?.matchLabels ?? {};
  return labels[NAMESPACE_LABEL] === MONITORING_NAMESPACE && Object.keys(labels).length === 1 && !peer.ipBlock;
}

function isKubeDns(peer: INetworkPolicyPeer): boolean {
  return peer.namespaceSelector?.matchLabels?.[NAMESPACE_LABEL] === 'kube-system' && peer.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns';
}
