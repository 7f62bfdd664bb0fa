import { Problem, problem } from './problem';
import { deployments, podContainers, RenderedTarget } from './rendered-target';

/** The user the images run as (the node image's `node` user). */
export const RUN_AS_USER = 1000;

/**
 * Every container of every Deployment runs as a non-root user 1000 on a read-only root
 * filesystem, cannot escalate, holds no capability and is confined by the runtime's default
 * seccomp profile; pods share no host namespace and mount no service account token.
 */
export function podSecurityProblems(target: RenderedTarget): Problem[] {
  const problems: Problem[] = [];
  for (const deployment of deployments(target)) {
    const pod = deployment.spec?.template.spec;
    const podContext = pod?.securityContext ?? {};
    const report = (message: string) => problems.push(problem(deployment, message));
    if (pod?.automountServiceAccountToken !== false) report('automountServiceAccountToken must be false');
    if (pod?.hostNetwork || pod?.hostPID || pod?.hostIPC) report('must not share host namespaces');
    for (const container of [...podContainers(deployment), ...(pod?.initContainers ?? [])]) {
      const context = container.securityContext ?? {};
      const where = `container ${container.name}`;
      if ((context.runAsNonRoot ?? podContext.runAsNonRoot) !== true) report(`${where}: runAsNonRoot must be true`);
      if ((context.runAsUser ?? podContext.runAsUser) !== RUN_AS_USER) report(`${where}: runAsUser must be ${RUN_AS_USER}`);
      if (context.readOnlyRootFilesystem !== true) report(`${where}: readOnlyRootFilesystem must be true`);
      if (context.allowPrivilegeEscalation !== false) report(`${where}: allowPrivilegeEscalation must be false`);
      if (context.privileged) report(`${where}: must not be privileged`);
      if (!context.capabilities?.drop?.includes('ALL')) report(`${where}: capabilities must drop ALL`);
      if ((context.capabilities?.add ?? []).length > 0) report(`${where}: must add no capabilities`);
      if ((context.seccompProfile ?? podContext.seccompProfile)?.type !== 'RuntimeDefault') report(`${where}: seccompProfile must be RuntimeDefault`);
    }
  }
  return problems;
}
