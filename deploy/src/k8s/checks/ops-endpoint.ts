import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IService } from 'kubernetes-models/v1/Service';
import { K8sResource } from '../manifest/k8s-resource';
import { containerEnvironment } from './container-environment';
import { Problem, problem } from './problem';
import { deployments, ofKind, podContainers, podLabels, RenderedTarget, selects } from './rendered-target';

/** The ops HTTP server's fixed names (see the services' OPS_HTTP_* variables). */
export const OPS_PORT_NAME = 'ops';
export const OPS_PORT = 9464;
export const LIVE_PATH = '/health/live';
export const READY_PATH = '/health/ready';
export const METRICS_PATH = '/metrics';

/**
 * Each service listens on 0.0.0.0:9464 (a port named `ops`); startup and liveness probes call
 * /health/live, readiness /health/ready, on that port; a Service exposes it with the Prometheus
 * scrape annotations.
 */
export function opsEndpointProblems(target: RenderedTarget): Problem[] {
  const problems: Problem[] = [];
  const services = ofKind<IService>(target, 'Service');
  for (const deployment of deployments(target)) {
    const report = (message: string) => problems.push(problem(deployment, message));
    for (const container of podContainers(deployment)) {
      const where = `container ${container.name}`;
      const environment = containerEnvironment(container, target).values;
      const opsPort = container.ports?.find((port) => port.name === OPS_PORT_NAME);
      if (opsPort?.containerPort !== OPS_PORT) report(`${where}: needs port ${OPS_PORT_NAME} = ${OPS_PORT}`);
      if (environment.OPS_HTTP_PORT !== String(OPS_PORT)) report(`${where}: OPS_HTTP_PORT must be ${OPS_PORT}, found ${environment.OPS_HTTP_PORT ?? 'none'}`);
      if (environment.OPS_HTTP_HOST !== '0.0.0.0') report(`${where}: OPS_HTTP_HOST must be 0.0.0.0 (probes and scrapes come from outside the pod)`);
      problems.push(...probeProblems(deployment, container, 'startupProbe', LIVE_PATH));
      problems.push(...probeProblems(deployment, container, 'livenessProbe', LIVE_PATH));
      problems.push(...probeProblems(deployment, container, 'readinessProbe', READY_PATH));
    }
    const exposing = services.filter((service) => Object.keys(service.spec?.selector ?? {}).length > 0 && selects(service.spec?.selector, podLabels(deployment)));
    if (exposing.length !== 1) {
      report(`needs exactly one Service selecting its pods, found ${exposing.length}`);
      continue;
    }
    const service = exposing[0]!;
    const port = service.spec?.ports?.find((candidate) => candidate.name === OPS_PORT_NAME);
    if (port?.port !== OPS_PORT || (port.targetPort !== OPS_PORT_NAME && port.targetPort !== OPS_PORT)) {
      problems.push(problem(service, `needs port ${OPS_PORT_NAME} ${OPS_PORT} -> ${OPS_PORT_NAME}`));
    }
    const annotations = service.metadata?.annotations ?? {};
    if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/port'] !== String(OPS_PORT) || annotations['prometheus.io/path'] !== METRICS_PATH) {
      problems.push(problem(service, `needs prometheus.io/scrape "true", prometheus.io/port "${OPS_PORT}", prometheus.io/path ${METRICS_PATH}`));
    }
  }
  return problems;
}

function probeProblems(deployment: K8sResource, container: IContainer, kind: 'startupProbe' | 'livenessProbe' | 'readinessProbe', path: string): Problem[] {
  const probe: IProbe | undefined = container[kind];
  const httpGet = probe?.httpGet;
  if (httpGet?.path === path && (httpGet.port === OPS_PORT_NAME || httpGet.port === OPS_PORT)) return [];
  return [problem(deployment, `container ${container.name}: ${kind} must GET ${path} on port ${OPS_PORT_NAME}`)];
}
