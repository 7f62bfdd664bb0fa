import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TARGET_NAMES, TARGETS } from '../layout';
import { K8sResource, resourceId } from '../manifest/k8s-resource';
import { renderWithKubectl } from './kubectl-kustomize';
import { renderKustomization } from './render-kustomization';

/** Objects by id: kustomize orders its output by kind, the renderer keeps declaration order. */
function byId(resources: readonly K8sResource[]): Map<string, K8sResource> {
  return new Map(resources.map((resource) => [`${resource.apiVersion} ${resourceId(resource)}`, resource]));
}

function expectSameAsKubectl(directory: string): void {
  const ours = byId(renderKustomization(directory));
  const kubectls = byId(renderWithKubectl(directory));
  expect([...ours.keys()].sort()).toEqual([...kubectls.keys()].sort());
  for (const [id, resource] of ours) expect({ id, resource }).toEqual({ id, resource: kubectls.get(id) });
}

// The offline renderer is what CI validates; this proves it renders what `kubectl apply -k` sends.
describe('the offline renderer matches kubectl kustomize', () => {
  it.each(TARGET_NAMES)('on %s', (name) => {
    expectSameAsKubectl(TARGETS[name]);
  });

  it('on every feature it implements (images with registries, digests and init containers; regex targets)', () => {
    const root = mkdtempSync(join(tmpdir(), 'agentos-kustomize-parity-'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    try {
      write(
        'base/all.yaml',
        `apiVersion: apps/v1
kind: Deployment
metadata: {name: worker-a}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      initContainers: [{name: init, image: "registry:5000/team/init:1.0"}]
      containers:
        - {name: worker, image: team/worker}
        - {name: sidecar, image: "other/sidecar:2@sha256:0000000000000000000000000000000000000000000000000000000000000000"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: other}
spec:
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec:
      containers: [{name: other, image: team/worker}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: config}
data: {A: "1"}
`,
      );
      write('base/kustomization.yaml', 'kind: Kustomization\nresources: [all.yaml]\nimages: [{name: team/worker, newTag: "0.1"}]\n');
      write(
        'overlay/kustomization.yaml',
        `kind: Kustomization
namespace: team-dev
resources: [../base]
images:
  - {name: team/worker, newTag: dev}
  - {name: "registry:5000/team/init", newName: mirror/init}
patches:
  - patch: |-
      - {op: add, path: /spec/replicas, value: 2}
      - {op: add, path: /spec/template/spec/containers/-, value: {name: x, image: team/worker}}
    target: {kind: Deployment, name: worker-.*}
  - patch: '[{"op": "add", "path": "/data/B", "value": "2"}, {"op": "remove", "path": "/data/A"}]'
    target: {kind: ConfigMap, version: v1}
`,
      );
      expectSameAsKubectl(join(root, 'overlay'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
