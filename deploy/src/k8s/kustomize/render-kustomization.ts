import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { apiGroup, isRecord, K8sResource, parseManifests, resourceId } from '../manifest/k8s-resource';
import { ManifestError } from '../manifest/manifest-error';
import { applyJsonPatch, parseJsonPatch } from './json-patch';
import { ImageOverride, PatchEntry, PatchTarget, readKustomization } from './kustomization';

/** Kinds the namespace transformer leaves alone, as kustomize does. */
const CLUSTER_SCOPED_KINDS = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass', 'PersistentVolume', 'ClusterTriggerAuthentication']);

/**
 * What `kubectl kustomize <directory>` prints, for the subset of kustomize these manifests use
 * (resources, JSON 6902 patches with a target, namespace, images), without kubectl: offline
 * validation needs nothing beyond npm packages. Transformers run in kustomize's order: patches,
 * then namespace, then images. Unknown fields and patches that match nothing are errors.
 */
export function renderKustomization(directory: string): K8sResource[] {
  const root = resolve(directory);
  const kustomization = readKustomization(root);
  let resources = kustomization.resources.flatMap((entry) => loadResource(root, entry));
  rejectDuplicates(resources, root);
  for (const [index, patch] of kustomization.patches.entries()) resources = applyPatch(resources, patch, root, index);
  if (kustomization.namespace) resources = resources.map((resource) => withNamespace(resource, kustomization.namespace!));
  if (kustomization.images.length > 0) resources = resources.map((resource) => withImages(resource, kustomization.images));
  return resources;
}

function loadResource(root: string, entry: string): K8sResource[] {
  const path = resolve(root, entry);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new ManifestError(`${root}: resource ${entry} does not exist`, { root, entry });
  }
  if (isDirectory) return renderKustomization(path);
  // kustomize's default load restrictor: files come from inside the kustomization's own folder.
  if (relative(root, path).startsWith(`..${sep}`)) {
    throw new ManifestError(`${root}: resource file ${entry} is outside the kustomization's folder`, { root, entry });
  }
  return parseManifests(readFileSync(path, 'utf8'), path);
}

function rejectDuplicates(resources: readonly K8sResource[], root: string): void {
  const seen = new Set<string>();
  for (const resource of resources) {
    const id = `${apiGroup(resource.apiVersion)}|${resourceId(resource)}`;
    if (seen.has(id)) throw new ManifestError(`${root}: ${resourceId(resource)} is declared twice`, { root });
    seen.add(id);
  }
}

function applyPatch(resources: K8sResource[], entry: PatchEntry, root: string, index: number): K8sResource[] {
  const source = entry.path ? join(root, entry.path) : `${root} patches[${index}]`;
  const operations = parseJsonPatch(patchDocument(entry.path ? readFileSync(join(root, entry.path), 'utf8') : entry.patch!, source), source);
  let matched = 0;
  const patched = resources.map((resource) => {
    if (!matches(resource, entry.target)) return resource;
    matched++;
    try {
      return applyJsonPatch(resource, operations);
    } catch (error) {
      throw new ManifestError(`${source} on ${resourceId(resource)}: ${(error as Error).message}`, { source });
    }
  });
  if (matched === 0) throw new ManifestError(`${source}: the target ${JSON.stringify(entry.target)} matches no resource`, { source });
  return patched;
}

/** As kustomize reads a patch: JSON when it starts with `[` (flow-style YAML there is an error), YAML otherwise. */
function patchDocument(text: string, source: string): unknown {
  if (!text.trim().startsWith('[')) return parse(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${source}: a patch starting with "[" must be JSON: ${(error as Error).message}`, { source });
  }
}

function matches(resource: K8sResource, target: PatchTarget): boolean {
  const version = resource.apiVersion.slice(resource.apiVersion.lastIndexOf('/') + 1);
  return (
    (target.kind === undefined || target.kind === resource.kind) &&
    (target.group === undefined || target.group === apiGroup(resource.apiVersion)) &&
    (target.version === undefined || target.version === version) &&
    (target.name === undefined || new RegExp(`^(?:${target.name})$`).test(resource.metadata.name))
  );
}

function withNamespace(resource: K8sResource, namespace: string): K8sResource {
  if (CLUSTER_SCOPED_KINDS.has(resource.kind)) return resource;
  return { ...resource, metadata: { ...resource.metadata, namespace } };
}

/** Rewrites `image` in every container and init container list, wherever it sits in the object. */
function withImages(resource: K8sResource, overrides: readonly ImageOverride[]): K8sResource {
  const copy = structuredClone(resource);
  visitContainers(copy, (container) => {
    if (typeof container.image !== 'string') return;
    const image = parseImage(container.image);
    const override = overrides.find((candidate) => candidate.name === image.name);
    if (!override) return;
    const name = override.newName ?? image.name;
    if (override.digest) container.image = `${name}@${override.digest}`;
    else if (override.newTag) container.image = `${name}:${override.newTag}`;
    else container.image = `${name}${image.digest ? `@${image.digest}` : image.tag ? `:${image.tag}` : ''}`;
  });
  return copy;
}

function visitContainers(value: unknown, visit: (container: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visitContainers(item, visit);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
      for (const container of child) if (isRecord(container)) visit(container);
    }
    visitContainers(child, visit);
  }
}

/** `registry:5000/a/b:tag@sha256:...` -> name `registry:5000/a/b`, tag, digest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split('@', 2) as [string, string | undefined];
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}
