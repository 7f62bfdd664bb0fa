import { K8sResource, resourceId } from '../manifest/k8s-resource';

/** One way a rendered target breaks a deployment rule; expected findings are values, not exceptions. */
export interface Problem {
  readonly resource: string;
  readonly message: string;
}

export function problem(resource: K8sResource | string, message: string): Problem {
  return { resource: typeof resource === 'string' ? resource : resourceId(resource), message };
}

export function formatProblem(target: string, found: Problem): string {
  return `${target}: ${found.resource}: ${found.message}`;
}
