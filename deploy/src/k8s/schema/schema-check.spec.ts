import { readFileSync } from 'node:fs';
import { renderTarget } from '../checks/rendered-target';
import { SECRET_TEMPLATE_FILE, TARGET_NAMES } from '../layout';
import { parseManifests } from '../manifest/k8s-resource';
import { checkSchemas } from './schema-check';

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'broken' },
  spec: {
    selector: { matchLabels: { app: 'x' } },
    template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'x:1' }] } },
  },
};

describe('schema check (Kubernetes, Strimzi and KEDA schemas, unknown fields included)', () => {
  it.each(TARGET_NAMES)('accepts every object %s renders', (name) => {
    expect(checkSchemas(renderTarget(name).resources)).toEqual([]);
  });

  it('accepts the Secret template', () => {
    expect(checkSchemas(parseManifests(readFileSync(SECRET_TEMPLATE_FILE, 'utf8'), SECRET_TEMPLATE_FILE))).toEqual([]);
  });

  it('accepts a well-formed object, the baseline of the broken ones below', () => {
    expect(checkSchemas([DEPLOYMENT])).toEqual([]);
  });

  it('rejects a wrong type, a missing required field and a bad enum value', () => {
    const wrongType = structuredClone(DEPLOYMENT) as any;
    wrongType.spec.template.spec.containers[0].ports = [{ containerPort: 'ops' }];
    const missingRequired = structuredClone(DEPLOYMENT) as any;
    delete missingRequired.spec.selector;
    const badEnum = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { unhealthyPodEvictionPolicy: 'Sometimes' } };

    const problems = checkSchemas([wrongType, missingRequired, badEnum]);

    expect(problems.map((found) => found.message).join('\n')).toMatch(/containerPort must be integer/);
    expect(problems.some((found) => found.resource === 'Deployment/broken' && /must have required property selector/.test(found.message))).toBe(true);
    expect(problems.some((found) => found.resource === 'PodDisruptionBudget/p' && /allowed values/.test(found.message))).toBe(true);
  });

  it('rejects a misspelt field deep in a pod spec, which a schema without strict fields lets through', () => {
    const misspelt = structuredClone(DEPLOYMENT) as any;
    misspelt.spec.template.spec.containers[0].securityContext = { readOnlyRootFileSystem: true };

    expect(checkSchemas([misspelt])).toEqual([
      expect.objectContaining({ resource: 'Deployment/broken', message: expect.stringMatching(/securityContext.*'"readOnlyRootFileSystem"' does not exist/) }),
    ]);
  });

  it('rejects broken Strimzi and KEDA objects and kinds it has no schema for', () => {
    const topic = { apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaTopic', metadata: { name: 't' }, spec: { partitions: 'twelve' } };
    const scaledObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 's' },
      spec: { scaleTargetRef: { name: 'x' }, triggers: [{ type: 'kafka', metadata: { lagThreshold: 32 } }] },
    };
    const unknownKind = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };

    const problems = checkSchemas([topic, scaledObject, unknownKind]);

    expect(problems.filter((found) => found.resource === 'KafkaTopic/t').map((found) => found.message).join('\n')).toMatch(/partitions must be integer/);
    expect(problems.filter((found) => found.resource === 'ScaledObject/s').map((found) => found.message).join('\n')).toMatch(/lagThreshold must be string/);
    expect(problems.filter((found) => found.resource === 'Widget/w').map((found) => found.message).join('\n')).toMatch(/no schema for example.com\/v1 Widget/);
  });
});
