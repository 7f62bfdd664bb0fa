import { AgentOsError } from '@agentos/runtime';

/** A manifest, kustomization or patch that cannot be read or rendered: a bug in k8s/, not a transient failure. */
export class ManifestError extends AgentOsError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('k8s_manifest_invalid', message, false, context);
  }
}
