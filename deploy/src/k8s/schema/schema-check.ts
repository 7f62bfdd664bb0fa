import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../layout';
import { ManifestError } from '../manifest/manifest-error';
import { Problem } from '../checks/problem';

/** The ESM script that holds the kubernetes-models validators (ESM-only packages). */
export const SCHEMA_CHECK_SCRIPT = join(REPO_ROOT, 'tools/scripts/k8s-schema-check.mjs');

/**
 * Validates objects against the Kubernetes, Strimzi and KEDA schemas, unknown fields included,
 * in a child Node process (tools/scripts/k8s-schema-check.mjs).
 */
export function checkSchemas(resources: readonly unknown[]): Problem[] {
  const run = spawnSync(process.execPath, [SCHEMA_CHECK_SCRIPT, '--json'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: resources }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 1) {
    throw new ManifestError(`schema check failed to run (status ${run.status ?? run.signal}): ${run.stderr || run.error?.message}`);
  }
  const report = JSON.parse(run.stdout) as { checked: number; problems: Array<{ resource: string; message: string }> };
  if (report.checked !== resources.length) throw new ManifestError(`schema check read ${report.checked} objects of ${resources.length}`);
  return report.problems.map(({ resource, message }) => ({ resource, message }));
}
