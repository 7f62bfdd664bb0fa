import { TransportConfig } from '@agentos/runtime';
import { TARGET_NAMES } from '../layout';
import { problemAbout } from '../testing/expect-problem';
import { mutatedTarget } from '../testing/mutated-target';
import { podResourceProblems, SHUTDOWN_MARGIN_MS } from './pod-resources';
import { deployments, renderTarget } from './rendered-target';

describe('podResourceProblems', () => {
  it.each(TARGET_NAMES)('finds none in %s', (name) => {
    expect(podResourceProblems(renderTarget(name))).toEqual([]);
  });

  const prod = renderTarget('prod');
  const container = (d: any) => d.spec.template.spec.containers[0];

  it.each([
    ['no memory limit', (d: any) => delete container(d).resources.limits.memory, /needs a memory request and limit/],
    ['a request above its limit', (d: any) => (container(d).resources.requests.cpu = '4'), /cpu request above its limit/],
    ['/tmp on the read-only root', (d: any) => (container(d).volumeMounts = container(d).volumeMounts.filter((m: any) => m.mountPath !== '/tmp')), /\/tmp must be on a writable emptyDir/],
    ['the memory folder outside its volume', (d: any) => (container(d).env.find((v: any) => v.name === 'MEMORY_DATA_DIR').value = '/srv/memory'), /\/srv\/memory must be on a writable emptyDir/],
    ['a read-only memory volume', (d: any) => (container(d).volumeMounts.find((m: any) => m.name === 'memory-data').readOnly = true), /\/var\/lib\/agentos must be on a writable/],
    ['the Kafka CA file not mounted', (d: any) => (container(d).volumeMounts = container(d).volumeMounts.filter((m: any) => m.name !== 'kafka-ca')), /KAFKA_SSL_CA_FILE=\/etc\/agentos\/kafka-ca\/ca.crt is on no mounted volume/],
    ['a mount of no volume', (d: any) => (d.spec.template.spec.volumes = d.spec.template.spec.volumes.filter((v: any) => v.name !== 'tmp')), /mounts tmp, which is no volume/],
    ['SIGKILL before the drain ends', (d: any) => (d.spec.template.spec.terminationGracePeriodSeconds = 30), /terminationGracePeriodSeconds \(30\) must exceed AGENTOS_SHUTDOWN_GRACE_MS \(30000 ms\)/],
  ])('reports %s', (_, change, message) => {
    expect(podResourceProblems(mutatedTarget(prod, 'Deployment', 'supervisor', change))).toContainEqual(problemAbout('Deployment/agentos/supervisor', message));
  });

  it('holds every grace period to the drain budget the services read, default included', () => {
    const longerDrain = mutatedTarget(prod, 'ConfigMap', 'agentos-config', (c: any) => (c.data.AGENTOS_SHUTDOWN_GRACE_MS = '60000'));
    expect(podResourceProblems(longerDrain)).toHaveLength(deployments(prod).length);
    const defaultDrain = mutatedTarget(prod, 'ConfigMap', 'agentos-config', (c: any) => delete c.data.AGENTOS_SHUTDOWN_GRACE_MS);
    expect(podResourceProblems(defaultDrain)).toEqual([]);
    for (const deployment of deployments(prod)) {
      expect((deployment.spec!.template.spec!.terminationGracePeriodSeconds ?? 30) * 1_000).toBeGreaterThanOrEqual(new TransportConfig().AGENTOS_SHUTDOWN_GRACE_MS + SHUTDOWN_MARGIN_MS);
    }
  });
});
