import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isRecord } from '../manifest/k8s-resource';
import { ManifestError } from '../manifest/manifest-error';

/** Which resources a patch applies to: kind, group and version exactly, name as an anchored regex (as kustomize does). */
export interface PatchTarget {
  readonly kind?: string;
  readonly name?: string;
  readonly group?: string;
  readonly version?: string;
}

export interface PatchEntry {
  readonly path?: string;
  readonly patch?: string;
  readonly target: PatchTarget;
}

export interface ImageOverride {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

/** The part of kustomize's Kustomization that these manifests use; anything else is refused, never ignored. */
export interface Kustomization {
  readonly resources: readonly string[];
  readonly namespace?: string;
  readonly images: readonly ImageOverride[];
  readonly patches: readonly PatchEntry[];
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);
const TARGET_FIELDS = new Set(['kind', 'name', 'group', 'version']);
const IMAGE_FIELDS = new Set(['name', 'newName', 'newTag', 'digest']);

/** Reads and checks the kustomization file of a directory. */
export function readKustomization(directory: string): Kustomization {
  const file = KUSTOMIZATION_FILES.map((name) => join(directory, name)).find((path) => existsSync(path));
  if (!file) throw new ManifestError(`${directory}: no kustomization.yaml`, { directory });
  const raw: unknown = parse(readFileSync(file, 'utf8'));
  if (!isRecord(raw) || raw.kind !== 'Kustomization') throw new ManifestError(`${file}: not a Kustomization`, { file });
  const unsupported = Object.keys(raw).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length > 0) {
    throw new ManifestError(`${file}: unsupported fields ${unsupported.join(', ')} (the offline renderer knows ${[...SUPPORTED_FIELDS].join(', ')})`, { file });
  }
  return {
    resources: stringList(raw.resources, 'resources', file),
    ...(raw.namespace === undefined ? {} : { namespace: requireString(raw.namespace, 'namespace', file) }),
    images: list(raw.images, 'images', file).map((image, index) => imageOverride(image, `${file} images[${index}]`)),
    patches: list(raw.patches, 'patches', file).map((patch, index) => patchEntry(patch, `${file} patches[${index}]`)),
  };
}

function imageOverride(value: unknown, where: string): ImageOverride {
  if (!isRecord(value) || typeof value.name !== 'string') throw new ManifestError(`${where}: needs a name`);
  rejectUnknown(value, IMAGE_FIELDS, where);
  for (const field of ['newName', 'newTag', 'digest'] as const) {
    if (value[field] !== undefined && typeof value[field] !== 'string') throw new ManifestError(`${where}: ${field} must be a string`);
  }
  return value as unknown as ImageOverride;
}

function patchEntry(value: unknown, where: string): PatchEntry {
  if (!isRecord(value)) throw new ManifestError(`${where}: not an object`);
  rejectUnknown(value, new Set(['path', 'patch', 'target']), where);
  if ((value.path === undefined) === (value.patch === undefined)) throw new ManifestError(`${where}: needs exactly one of path and patch`);
  if (!isRecord(value.target)) throw new ManifestError(`${where}: needs a target (the renderer applies JSON 6902 patches only)`);
  rejectUnknown(value.target, TARGET_FIELDS, `${where} target`);
  for (const field of TARGET_FIELDS) {
    if (value.target[field] !== undefined && typeof value.target[field] !== 'string') throw new ManifestError(`${where}: target.${field} must be a string`);
  }
  return value as unknown as PatchEntry;
}

function rejectUnknown(value: Record<string, unknown>, known: ReadonlySet<string>, where: string): void {
  const unknown = Object.keys(value).filter((field) => !known.has(field));
  if (unknown.length > 0) throw new ManifestError(`${where}: unsupported fields ${unknown.join(', ')}`);
}

function list(value: unknown, field: string, file: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ManifestError(`${file}: ${field} must be a list`, { file });
  return value;
}

function stringList(value: unknown, field: string, file: string): string[] {
  return list(value, field, file).map((item) => requireString(item, field, file));
}

function requireString(value: unknown, field: string, file: string): string {
  if (typeof value !== 'string' || value === '') throw new ManifestError(`${file}: ${field} entries must be non-empty strings`, { file });
  return value;
}
