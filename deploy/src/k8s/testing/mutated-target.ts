import { K8sResource } from '../manifest/k8s-resource';
import { RenderedTarget } from '../checks/rendered-target';

/**
 * A deep copy of a target with one object changed in place by `change`: how the check tests
 * prove each rule catches what it is meant to. Fails when no object is `kind`/`name`.
 */
export function mutatedTarget<T = Record<string, unknown>>(
  target: RenderedTarget,
  kind: string,
  name: string,
  change: (resource: T & K8sResource) => void,
): RenderedTarget {
  const resources = structuredClone(target.resources) as K8sResource[];
  const resource = resources.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (!resource) throw new Error(`${target.name} has no ${kind}/${name}`);
  change(resource as T & K8sResource);
  return { name: `${target.name} (mutated)`, resources };
}

/** A deep copy without the objects `drop` picks. */
export function withoutResources(target: RenderedTarget, drop: (resource: K8sResource) => boolean): RenderedTarget {
  return { name: `${target.name} (reduced)`, resources: structuredClone(target.resources).filter((resource) => !drop(resource)) };
}
