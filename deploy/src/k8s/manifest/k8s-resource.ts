import { parseAllDocuments } from 'yaml';
import { ManifestError } from './manifest-error';

/** A Kubernetes object as written in YAML: plain data, checked against its schema elsewhere. */
export interface K8sResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Kind/namespace/name`, how problems and duplicates name a resource. */
export function resourceId(resource: K8sResource): string {
  const namespace = resource.metadata.namespace ? `${resource.metadata.namespace}/` : '';
  return `${resource.kind}/${namespace}${resource.metadata.name}`;
}

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

/** Every object of a multi-document YAML text; empty documents are skipped. */
export function parseManifests(text: string, source: string): K8sResource[] {
  const resources: K8sResource[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new ManifestError(`${source}: ${document.errors.map((error) => error.message).join('; ')}`, { source });
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    resources.push(asResource(value, source));
  }
  return resources;
}

/** Checks the fields every object needs before anything reads them. */
export function asResource(value: unknown, source: string): K8sResource {
  if (!isRecord(value)) throw new ManifestError(`${source}: a document is not an object`, { source });
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw new ManifestError(`${source}: a document has no apiVersion or kind`, { source });
  }
  if (!isRecord(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
    throw new ManifestError(`${source}: ${kind} has no metadata.name`, { source });
  }
  return value as K8sResource;
}
