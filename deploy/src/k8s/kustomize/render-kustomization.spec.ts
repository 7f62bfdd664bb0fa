import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseImage, renderKustomization } from './render-kustomization';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker-a
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: registry:5000/team/init:1.0
      containers:
        - name: worker
          image: team/worker
        - name: sidecar
          image: other/sidecar:2@sha256:abc
`;
const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: config
data:
  A: "1"
---
apiVersion: v1
kind: Namespace
metadata:
  name: left-alone
`;

describe('renderKustomization', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'agentos-kustomize-'));
    write('base/deployment.yaml', DEPLOYMENT);
    write('base/config.yaml', CONFIG);
    write('base/kustomization.yaml', 'kind: Kustomization\nresources: [deployment.yaml, config.yaml]\nimages: [{name: team/worker, newTag: "0.1"}]\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('loads resources of a base, then patches, sets the namespace and rewrites images', () => {
    write(
      'overlay/kustomization.yaml',
      `kind: Kustomization
namespace: team-dev
resources: [../base]
images:
  - {name: team/worker, newTag: dev}
  - {name: registry:5000/team/init, newName: mirror/init}
patches:
  - path: replicas.yaml
    target: {kind: Deployment, name: worker-.*}
  - patch: '[{"op": "add", "path": "/data/B", "value": "2"}]'
    target: {kind: ConfigMap, group: "", version: v1}
`,
    );
    write('overlay/replicas.yaml', '- {op: add, path: /spec/replicas, value: 2}\n');

    const resources = renderKustomization(join(root, 'overlay'));

    const deployment = resources.find((resource) => resource.kind === 'Deployment') as unknown as {
      metadata: { namespace: string };
      spec: { replicas: number; template: { spec: { containers: Array<{ image: string }>; initContainers: Array<{ image: string }> } } };
    };
    expect(deployment.metadata.namespace).toBe('team-dev');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers.map((container) => container.image)).toEqual(['team/worker:dev', 'other/sidecar:2@sha256:abc']);
    expect(deployment.spec.template.spec.initContainers[0]!.image).toBe('mirror/init:1.0');
    expect(resources.find((resource) => resource.kind === 'ConfigMap')).toMatchObject({ metadata: { namespace: 'team-dev' }, data: { A: '1', B: '2' } });
    expect(resources.find((resource) => resource.kind === 'Namespace')!.metadata.namespace).toBeUndefined();
  });

  it('applies the base kustomization before the overlay', () => {
    write('overlay/kustomization.yaml', 'kind: Kustomization\nresources: [../base]\n');
    const deployment = renderKustomization(join(root, 'overlay')).find((resource) => resource.kind === 'Deployment');
    expect(JSON.stringify(deployment)).toContain('team/worker:0.1');
  });

  it('refuses fields it does not implement instead of ignoring them', () => {
    write('overlay/kustomization.yaml', 'kind: Kustomization\nresources: [../base]\ncommonLabels: {a: b}\n');
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/unsupported fields commonLabels/);
  });

  it('reads a patch starting with "[" as JSON, as kustomize does', () => {
    write('overlay/kustomization.yaml', `kind: Kustomization\nresources: [../base]\npatches: [{patch: '[{op: remove, path: /data}]', target: {kind: ConfigMap}}]\n`);
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/must be JSON/);
  });

  it('refuses a patch that matches nothing, and a patch that fails on a resource', () => {
    write('overlay/kustomization.yaml', `kind: Kustomization\nresources: [../base]\npatches: [{patch: '[{"op": "remove", "path": "/spec"}]', target: {kind: StatefulSet}}]\n`);
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/matches no resource/);
    write('overlay/kustomization.yaml', `kind: Kustomization\nresources: [../base]\npatches: [{patch: '[{"op": "test", "path": "/data/A", "value": "9"}]', target: {kind: ConfigMap}}]\n`);
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/on ConfigMap\/config: patch test \/data\/A/);
  });

  it('refuses duplicate objects, missing files, and files outside the kustomization folder', () => {
    write('overlay/kustomization.yaml', 'kind: Kustomization\nresources: [../base, dup.yaml]\n');
    write('overlay/dup.yaml', CONFIG.split('---')[0]!);
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/ConfigMap\/config is declared twice/);
    write('overlay/kustomization.yaml', 'kind: Kustomization\nresources: [missing.yaml]\n');
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/missing.yaml does not exist/);
    write('overlay/kustomization.yaml', 'kind: Kustomization\nresources: [../base/config.yaml]\n');
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/outside the kustomization's folder/);
  });
});

describe('parseImage', () => {
  it('splits registry ports, tags and digests correctly', () => {
    expect(parseImage('registry:5000/a/b')).toEqual({ name: 'registry:5000/a/b' });
    expect(parseImage('registry:5000/a/b:1.2')).toEqual({ name: 'registry:5000/a/b', tag: '1.2' });
    expect(parseImage('a/b:1@sha256:ff')).toEqual({ name: 'a/b', tag: '1', digest: 'sha256:ff' });
  });
});
