import { TARGET_NAMES } from '../layout';
import { problemAbout } from '../testing/expect-problem';
import { mutatedTarget } from '../testing/mutated-target';
import { renderTarget } from './rendered-target';
import { TARGET_EXPECTATIONS, targetExpectationProblems } from './target-expectations';

describe('targetExpectationProblems', () => {
  it.each(TARGET_NAMES)('finds none in %s against its expectations', (name) => {
    expect(targetExpectationProblems(renderTarget(name), TARGET_EXPECTATIONS[name])).toEqual([]);
  });

  it('holds dev to one replica, the dev tags and its namespace', () => {
    const dev = renderTarget('dev');
    const latest = mutatedTarget(dev, 'Deployment', 'worker-io', (d: any) => (d.spec.template.spec.containers[0].image = 'agentos/worker-io:latest'));
    expect(targetExpectationProblems(latest, TARGET_EXPECTATIONS.dev)).toEqual([problemAbout('Deployment/agentos-dev/worker-io', /image tag latest must be dev/)]);
    const scaling = mutatedTarget(dev, 'ScaledObject', 'supervisor', (s: any) => (s.spec.maxReplicaCount = 12));
    expect(targetExpectationProblems(scaling, TARGET_EXPECTATIONS.dev)).toEqual([problemAbout('ScaledObject/agentos-dev/supervisor', /maxReplicaCount must be 1/)]);
    const elsewhere = mutatedTarget(dev, 'KafkaTopic', 'agentos.goals.v1', (t: any) => (t.metadata.namespace = 'kafka'));
    expect(targetExpectationProblems(elsewhere, TARGET_EXPECTATIONS.dev)).toEqual([problemAbout('KafkaTopic/kafka/agentos.goals.v1', /expected agentos-dev/)]);
  });

  it('holds prod to pinned images, two replicas, budgets that keep one up, required secrets and secure Kafka', () => {
    const prod = renderTarget('prod');
    const check = (target: ReturnType<typeof mutatedTarget>) => targetExpectationProblems(target, TARGET_EXPECTATIONS.prod);
    expect(check(mutatedTarget(prod, 'Deployment', 'supervisor', (d: any) => (d.spec.template.spec.containers[0].image = 'agentos/supervisor')))).toEqual([
      problemAbout('Deployment/agentos/supervisor', /image tag \(none\) must be a pinned release version/),
    ]);
    expect(check(mutatedTarget(prod, 'Deployment', 'worker-io', (d: any) => (d.spec.template.spec.containers[0].image = 'agentos/worker-logic:0.1.0')))).toEqual([
      problemAbout('Deployment/agentos/worker-io', /is not agentos\/worker-io/),
    ]);
    expect(check(mutatedTarget(prod, 'ScaledObject', 'worker-logic', (s: any) => (s.spec.minReplicaCount = 1)))).toEqual([
      problemAbout('ScaledObject/agentos/worker-logic', /minReplicaCount must be 2/),
    ]);
    expect(check(mutatedTarget(prod, 'PodDisruptionBudget', 'supervisor', (b: any) => (b.spec.maxUnavailable = 1)))).toEqual([
      problemAbout('PodDisruptionBudget/agentos/supervisor', /must set only minAvailable/),
    ]);
    expect(check(mutatedTarget(prod, 'Deployment', 'supervisor', (d: any) => (d.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.optional = true)))).toEqual([
      problemAbout('Deployment/agentos/supervisor', /DATABASE_URL must come from a Secret and not be optional/),
    ]);
    const noPassword = mutatedTarget(prod, 'Deployment', 'worker-io', (d: any) => {
      d.spec.template.spec.containers[0].env = d.spec.template.spec.containers[0].env.filter((v: any) => v.name !== 'KAFKA_SASL_PASSWORD');
    });
    expect(check(noPassword)).toContainEqual(problemAbout('Deployment/agentos/worker-io', /KAFKA_SASL_PASSWORD must come from a Secret/));
    const plaintext = check(mutatedTarget(prod, 'ConfigMap', 'agentos-config', (c: any) => delete c.data.KAFKA_SASL_MECHANISM));
    for (const name of ['supervisor', 'worker-io', 'worker-logic']) {
      expect(plaintext).toContainEqual(problemAbout(`Deployment/agentos/${name}`, /Kafka SASL and TLS must be on/));
    }
  });
});
