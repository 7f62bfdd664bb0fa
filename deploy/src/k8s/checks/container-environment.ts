import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { ofKind, RenderedTarget } from './rendered-target';

export interface SecretReference {
  readonly secret: string;
  readonly key: string;
  readonly optional: boolean;
}

/** What a container's process finds in its environment: literal values, and references to secrets. */
export interface ContainerEnvironment {
  /** ConfigMap values (envFrom) overridden by literal `env` values, as Kubernetes resolves them. */
  readonly values: Record<string, string>;
  readonly secrets: ReadonlyMap<string, SecretReference>;
  /** ConfigMaps that envFrom names but the target does not contain. */
  readonly missingConfigMaps: readonly string[];
}

export function containerEnvironment(container: IContainer, target: RenderedTarget): ContainerEnvironment {
  const configMaps = new Map(ofKind<IConfigMap>(target, 'ConfigMap').map((configMap) => [configMap.metadata.name, configMap]));
  const values: Record<string, string> = {};
  const secrets = new Map<string, SecretReference>();
  const missingConfigMaps: string[] = [];
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    if (!name) continue;
    const configMap = configMaps.get(name);
    if (!configMap) missingConfigMaps.push(name);
    Object.assign(values, configMap?.data ?? {});
  }
  for (const variable of container.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    if (variable.value !== undefined) values[variable.name] = variable.value;
    else if (secretRef) {
      delete values[variable.name];
      secrets.set(variable.name, { secret: secretRef.name ?? '', key: secretRef.key, optional: secretRef.optional ?? false });
    }
  }
  return { values, secrets, missingConfigMaps };
}

/** Stand-ins for secret values, valid for the configuration classes that read them. */
const SECRET_PLACEHOLDERS: Readonly<Record<string, string>> = {
  DATABASE_URL: 'postgres://agentos:placeholder@postgres:5432/agentos',
};

/**
 * The environment a container starts with once its Secret exists: the values plus a stand-in
 * for every required secret, and for optional ones too when `withOptional` (the Secret may or
 * may not hold them).
 */
export function startEnvironment(environment: ContainerEnvironment, withOptional = false): Record<string, string> {
  const values = { ...environment.values };
  for (const [name, reference] of environment.secrets) {
    if (!reference.optional || withOptional) values[name] = SECRET_PLACEHOLDERS[name] ?? 'placeholder-secret';
  }
  return values;
}
