import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { TargetName, TARGETS } from '../layout';
import { renderKustomization } from '../kustomize/render-kustomization';
import { K8sResource } from '../manifest/k8s-resource';

/** The objects one kustomization renders to, as `kubectl apply -k` would send them. */
export interface RenderedTarget {
  readonly name: string;
  readonly resources: readonly K8sResource[];
}

/** A target rendered from k8s/: one of the kustomizations the checks know expectations for. */
export interface KnownTarget extends RenderedTarget {
  readonly name: TargetName;
}

export function renderTarget(name: TargetName): KnownTarget {
  return { name, resources: renderKustomization(TARGETS[name]) };
}

/**
 * The objects of one kind, typed as their kubernetes-models interface. The cast is sound only
 * as far as the schema check (schema-check.ts) has passed; the checks that read them still
 * treat optional fields as optional.
 */
export function ofKind<T>(target: RenderedTarget, kind: string): Array<T & K8sResource> {
  return target.resources.filter((resource) => resource.kind === kind) as unknown as Array<T & K8sResource>;
}

export function deployments(target: RenderedTarget): Array<IDeployment & K8sResource> {
  return ofKind<IDeployment>(target, 'Deployment');
}

export function podContainers(deployment: IDeployment): IContainer[] {
  return deployment.spec?.template.spec?.containers ?? [];
}

/** Whether a label selector's matchLabels all appear in `labels` (matchExpressions are not used here). */
export function selects(matchLabels: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(matchLabels ?? {}).every(([key, value]) => labels?.[key] === value);
}

export function podLabels(deployment: IDeployment): Record<string, string> {
  return deployment.spec?.template.metadata?.labels ?? {};
}
