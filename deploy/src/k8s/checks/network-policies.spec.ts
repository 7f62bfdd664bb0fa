import { TARGET_NAMES } from '../layout';
import { problemAbout } from '../testing/expect-problem';
import { mutatedTarget, withoutResources } from '../testing/mutated-target';
import { networkPolicyProblems } from './network-policies';
import { deployments, renderTarget } from './rendered-target';

describe('networkPolicyProblems', () => {
  it.each(TARGET_NAMES)('finds none in %s', (name) => {
    expect(networkPolicyProblems(renderTarget(name))).toEqual([]);
  });

  const prod = renderTarget('prod');

  it('reports pods without a default deny', () => {
    const open = withoutResources(prod, (resource) => resource.metadata.name === 'agentos-default-deny');
    const problems = networkPolicyProblems(open);
    expect(problems).toHaveLength(deployments(prod).length);
    expect(problems).toContainEqual(problemAbout('Deployment/agentos/worker-logic', /no default-deny NetworkPolicy/));
  });

  it('reports ingress from anywhere, or to more than the ops port', () => {
    const fromAnywhere = mutatedTarget(prod, 'NetworkPolicy', 'agentos-allow-metrics-scrape', (p: any) => delete p.spec.ingress[0].from);
    expect(networkPolicyProblems(fromAnywhere)).toContainEqual(problemAbout('Deployment/agentos/supervisor', /ingress must be the ops port from namespace monitoring only/));
    const morePorts = mutatedTarget(prod, 'NetworkPolicy', 'agentos-allow-metrics-scrape', (p: any) => p.spec.ingress[0].ports.push({ protocol: 'TCP', port: 22 }));
    expect(networkPolicyProblems(morePorts)).toContainEqual(problemAbout('Deployment/agentos/worker-io', /ingress must be the ops port/));
  });

  it('reports egress a service does not need, or every port', () => {
    const extra = mutatedTarget(prod, 'NetworkPolicy', 'worker-io-egress', (p: any) => p.spec.egress[0].ports.push({ protocol: 'TCP', port: 5432 }));
    expect(networkPolicyProblems(extra)).toEqual([problemAbout('Deployment/agentos/worker-io', /egress allows TCP\/5432, which the service does not use/)]);
    const everything = mutatedTarget(prod, 'NetworkPolicy', 'supervisor-egress', (p: any) => delete p.spec.egress[1].ports);
    expect(networkPolicyProblems(everything)).toContainEqual(problemAbout('Deployment/agentos/supervisor', /an egress rule allows every port/));
  });

  it('reports missing egress to DNS, to the Kafka cluster KAFKA_BROKERS names, and to PostgreSQL', () => {
    const noDns = mutatedTarget(prod, 'NetworkPolicy', 'agentos-allow-dns-and-kafka', (p: any) => p.spec.egress.shift());
    expect(networkPolicyProblems(noDns)).toContainEqual(problemAbout('Deployment/agentos/worker-logic', /egress must reach kube-dns/));
    const otherCluster = mutatedTarget(prod, 'ConfigMap', 'agentos-config', (c: any) => (c.data.KAFKA_BROKERS = 'events-kafka-bootstrap:9093'));
    expect(networkPolicyProblems(otherCluster)).toContainEqual(problemAbout('Deployment/agentos/supervisor', /reach the pods of Strimzi cluster events on 9093/));
    const noDatabase = mutatedTarget(prod, 'NetworkPolicy', 'supervisor-egress', (p: any) => p.spec.egress.shift());
    expect(networkPolicyProblems(noDatabase)).toEqual([problemAbout('Deployment/agentos/supervisor', /egress must allow TCP\/5432/)]);
  });
});
