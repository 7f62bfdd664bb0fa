import { spawnSync } from 'node:child_process';
import { K8sResource, parseManifests } from '../manifest/k8s-resource';
import { ManifestError } from '../manifest/manifest-error';

/**
 * What the real kustomize renders (`kubectl kustomize`), to hold the offline renderer to it.
 * Needs kubectl >= 1.27 (kustomize v5) on PATH.
 */
export function renderWithKubectl(directory: string): K8sResource[] {
  const run = spawnSync('kubectl', ['kustomize', directory], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new ManifestError(
      'kubectl is not installed: the renderer parity check compares with `kubectl kustomize` (kubectl >= 1.27). ' +
        'Install kubectl (e.g. the Kubernetes apt repository or a release binary) and put it on PATH.',
    );
  }
  if (run.status !== 0) throw new ManifestError(`kubectl kustomize ${directory} failed: ${run.stderr || run.error?.message}`);
  return parseManifests(run.stdout, `kubectl kustomize ${directory}`);
}
