import { TARGET_NAMES } from '../layout';
import { problemAbout } from '../testing/expect-problem';
import { mutatedTarget } from '../testing/mutated-target';
import { podSecurityProblems } from './pod-security';
import { renderTarget } from './rendered-target';

describe('podSecurityProblems', () => {
  it.each(TARGET_NAMES)('finds none in %s', (name) => {
    expect(podSecurityProblems(renderTarget(name))).toEqual([]);
  });

  const dev = renderTarget('dev');
  it.each([
    ['a writable root filesystem', (d: any) => delete d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem, /readOnlyRootFilesystem must be true/],
    ['root', (d: any) => (d.spec.template.spec.containers[0].securityContext.runAsUser = 0), /runAsUser must be 1000/],
    ['no runAsNonRoot anywhere', (d: any) => {
      delete d.spec.template.spec.containers[0].securityContext.runAsNonRoot;
      delete d.spec.template.spec.securityContext.runAsNonRoot;
    }, /runAsNonRoot must be true/],
    ['privilege escalation', (d: any) => (d.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true), /allowPrivilegeEscalation must be false/],
    ['kept capabilities', (d: any) => (d.spec.template.spec.containers[0].securityContext.capabilities = { drop: ['NET_RAW'] }), /capabilities must drop ALL/],
    ['added capabilities', (d: any) => (d.spec.template.spec.containers[0].securityContext.capabilities.add = ['NET_ADMIN']), /must add no capabilities/],
    ['no seccomp profile', (d: any) => {
      delete d.spec.template.spec.containers[0].securityContext.seccompProfile;
      delete d.spec.template.spec.securityContext.seccompProfile;
    }, /seccompProfile must be RuntimeDefault/],
    ['a mounted service account token', (d: any) => (d.spec.template.spec.automountServiceAccountToken = true), /automountServiceAccountToken must be false/],
    ['the host network', (d: any) => (d.spec.template.spec.hostNetwork = true), /must not share host namespaces/],
  ])('reports %s', (_, change, message) => {
    expect(podSecurityProblems(mutatedTarget(dev, 'Deployment', 'worker-io', change))).toEqual([problemAbout('Deployment/agentos-dev/worker-io', message)]);
  });

  it('accepts settings made once for the whole pod where the container may inherit them', () => {
    const inherited = mutatedTarget(dev, 'Deployment', 'supervisor', (d: any) => {
      delete d.spec.template.spec.containers[0].securityContext.runAsUser;
      delete d.spec.template.spec.containers[0].securityContext.seccompProfile;
    });
    expect(podSecurityProblems(inherited)).toEqual([]);
  });
});
