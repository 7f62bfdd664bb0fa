import { TARGET_NAMES } from '../layout';
import { problemAbout } from '../testing/expect-problem';
import { mutatedTarget } from '../testing/mutated-target';
import { renderTarget } from './rendered-target';
import { serviceConfigProblems } from './service-config';

describe('serviceConfigProblems', () => {
  it.each(TARGET_NAMES)('finds none in %s: every service would start with its environment', (name) => {
    expect(serviceConfigProblems(renderTarget(name))).toEqual([]);
  });

  const dev = renderTarget('dev');

  it('reports an environment a service would refuse at start, naming the variable', () => {
    const zeroPartitions = mutatedTarget(dev, 'ConfigMap', 'agentos-config', (c: any) => (c.data.AGENTOS_GOAL_PARTITIONS = '0'));
    const problems = serviceConfigProblems(zeroPartitions);
    expect(problems).toContainEqual(problemAbout('Deployment/agentos-dev/supervisor', /TransportConfig[\s\S]*AGENTOS_GOAL_PARTITIONS/));
    expect(problems).toHaveLength(3);
    const badConcurrency = mutatedTarget(dev, 'Deployment', 'worker-logic', (d: any) => {
      d.spec.template.spec.containers[0].env.find((v: any) => v.name === 'WORKER_CONCURRENCY').value = 'many';
    });
    expect(serviceConfigProblems(badConcurrency)).toEqual([problemAbout('Deployment/agentos-dev/worker-logic', /WorkerConfig[\s\S]*WORKER_CONCURRENCY/)]);
  });

  it('validates the ops server and log settings every process reads', () => {
    const loud = mutatedTarget(dev, 'ConfigMap', 'agentos-config', (c: any) => (c.data.LOG_LEVEL = 'trace'));
    expect(serviceConfigProblems(loud)).toContainEqual(problemAbout('Deployment/agentos-dev/worker-io', /LogConfig[\s\S]*LOG_LEVEL/));
  });

  it('reports a secret in a ConfigMap, a missing ConfigMap and a Deployment that is no service', () => {
    const leaked = mutatedTarget(dev, 'ConfigMap', 'agentos-config', (c: any) => (c.data.LLM_API_KEY = 'sk-live'));
    expect(serviceConfigProblems(leaked)).toEqual([problemAbout('ConfigMap/agentos-dev/agentos-config', /LLM_API_KEY looks like a secret/)]);
    const renamed = mutatedTarget(dev, 'Deployment', 'worker-io', (d: any) => (d.spec.template.spec.containers[0].envFrom[0].configMapRef.name = 'other'));
    expect(serviceConfigProblems(renamed)).toContainEqual(problemAbout('Deployment/agentos-dev/worker-io', /reads ConfigMap other, which is not rendered/));
    const stranger = mutatedTarget(dev, 'Deployment', 'worker-io', (d: any) => (d.metadata.name = 'worker-sql'));
    expect(serviceConfigProblems(stranger)).toEqual([problemAbout('Deployment/agentos-dev/worker-sql', /is none of the services/)]);
  });
});
