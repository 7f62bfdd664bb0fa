import { posix } from 'node:path';
import { loadConfig, TransportConfig } from '@agentos/runtime';
import { containerEnvironment, startEnvironment } from './container-environment';
import { guardedRead } from './guarded-read';
import { Problem, problem } from './problem';
import { parseQuantity } from './quantity';
import { deployments, podContainers, RenderedTarget } from './rendered-target';
import { serviceProfile } from './service-profiles';

/** Time between the drain deadline and SIGKILL: the process's own exit and log flush. */
export const SHUTDOWN_MARGIN_MS = 5_000;

/** Variables naming files the services read at start: they must be mounted. */
const MOUNTED_FILE_VARIABLES = ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'];

/**
 * Requests and limits for CPU and memory (requests within limits); /tmp and every folder a
 * service writes to on a writable emptyDir or claim (the root filesystem is read-only); files
 * named by KAFKA_SSL_* mounted; a termination grace period that outlasts AGENTOS_SHUTDOWN_GRACE_MS.
 */
export function podResourceProblems(target: RenderedTarget): Problem[] {
  const problems: Problem[] = [];
  for (const deployment of deployments(target)) {
    const report = (message: string) => problems.push(problem(deployment, message));
    const pod = deployment.spec?.template.spec;
    const volumes = new Map((pod?.volumes ?? []).map((volume) => [volume.name, volume]));
    for (const container of podContainers(deployment)) {
      const where = `container ${container.name}`;
      for (const resource of ['cpu', 'memory']) {
        const request = parseQuantity(container.resources?.requests?.[resource]);
        const limit = parseQuantity(container.resources?.limits?.[resource]);
        if (request === undefined || limit === undefined) report(`${where}: needs a ${resource} request and limit`);
        else if (request > limit) report(`${where}: ${resource} request above its limit`);
      }
      const mounts = container.volumeMounts ?? [];
      for (const mount of mounts) if (!volumes.has(mount.name)) report(`${where}: mounts ${mount.name}, which is no volume of the pod`);
      const writableAt = (folder: string) =>
        mounts.some((mount) => {
          const volume = volumes.get(mount.name);
          return !mount.readOnly && (volume?.emptyDir || volume?.persistentVolumeClaim) && isWithin(folder, mount.mountPath);
        });
      const environment = startEnvironment(containerEnvironment(container, target));
      const profile = serviceProfile(deployment.metadata.name);
      for (const folder of ['/tmp', ...(profile?.writableFolderVariables ?? []).map((variable) => environment[variable] ?? `<${variable} unset>`)]) {
        if (!writableAt(folder)) report(`${where}: ${folder} must be on a writable emptyDir or claim (the root filesystem is read-only)`);
      }
      for (const variable of MOUNTED_FILE_VARIABLES) {
        const file = environment[variable];
        if (file && !mounts.some((mount) => isWithin(file, mount.mountPath))) report(`${where}: ${variable}=${file} is on no mounted volume`);
      }
      const graceMs = guardedRead(() => loadConfig(TransportConfig, environment).AGENTOS_SHUTDOWN_GRACE_MS, report);
      const periodMs = (pod?.terminationGracePeriodSeconds ?? 30) * 1_000;
      if (graceMs !== undefined && periodMs < graceMs + SHUTDOWN_MARGIN_MS) {
        report(`terminationGracePeriodSeconds (${periodMs / 1_000}) must exceed AGENTOS_SHUTDOWN_GRACE_MS (${graceMs} ms) by ${SHUTDOWN_MARGIN_MS / 1_000} s`);
      }
    }
  }
  return problems;
}

function isWithin(path: string, folder: string): boolean {
  const relative = posix.relative(folder, path);
  return relative === '' || (!relative.startsWith('..') && !posix.isAbsolute(relative));
}
