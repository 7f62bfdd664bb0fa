import { TARGET_NAMES } from '../layout';
import { problemAbout } from '../testing/expect-problem';
import { mutatedTarget } from '../testing/mutated-target';
import { opsEndpointProblems } from './ops-endpoint';
import { renderTarget } from './rendered-target';

describe('opsEndpointProblems', () => {
  it.each(TARGET_NAMES)('finds none in %s', (name) => {
    expect(opsEndpointProblems(renderTarget(name))).toEqual([]);
  });

  const prod = renderTarget('prod');
  const supervisor = 'Deployment/agentos/supervisor';

  it.each([
    ['readiness on the liveness path', (d: any) => (d.spec.template.spec.containers[0].readinessProbe.httpGet.path = '/health/live'), /readinessProbe must GET \/health\/ready/],
    ['no startup probe', (d: any) => delete d.spec.template.spec.containers[0].startupProbe, /startupProbe must GET \/health\/live/],
    ['liveness on another port', (d: any) => (d.spec.template.spec.containers[0].livenessProbe.httpGet.port = 8080), /livenessProbe must GET \/health\/live on port ops/],
    ['the ops port moved', (d: any) => (d.spec.template.spec.containers[0].ports[0].containerPort = 8080), /needs port ops = 9464/],
    ['a listener on loopback only', (d: any) => d.spec.template.spec.containers[0].env.find((v: any) => v.name === 'OPS_HTTP_HOST').value = '127.0.0.1', /OPS_HTTP_HOST must be 0.0.0.0/],
    ['no ops listener', (d: any) => (d.spec.template.spec.containers[0].env = d.spec.template.spec.containers[0].env.filter((v: any) => v.name !== 'OPS_HTTP_PORT')), /OPS_HTTP_PORT must be 9464, found none/],
  ])('reports %s', (_, change, message) => {
    expect(opsEndpointProblems(mutatedTarget(prod, 'Deployment', 'supervisor', change))).toContainEqual(problemAbout(supervisor, message));
  });

  it('reports a Service without the scrape annotations or the ops port', () => {
    const unannotated = mutatedTarget(prod, 'Service', 'worker-logic', (s: any) => delete s.metadata.annotations['prometheus.io/scrape']);
    expect(opsEndpointProblems(unannotated)).toEqual([problemAbout('Service/agentos/worker-logic', /prometheus.io\/scrape/)]);
    const unported = mutatedTarget(prod, 'Service', 'worker-logic', (s: any) => (s.spec.ports[0].targetPort = 8080));
    expect(opsEndpointProblems(unported)).toEqual([problemAbout('Service/agentos/worker-logic', /needs port ops 9464 -> ops/)]);
  });

  it('reports a Deployment no Service exposes', () => {
    const unexposed = mutatedTarget(prod, 'Service', 'worker-io', (s: any) => (s.spec.selector['app.kubernetes.io/name'] = 'nothing'));
    expect(opsEndpointProblems(unexposed)).toEqual([problemAbout('Deployment/agentos/worker-io', /exactly one Service selecting its pods, found 0/)]);
  });
});
