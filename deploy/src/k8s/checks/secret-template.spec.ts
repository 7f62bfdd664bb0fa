import { readFileSync } from 'node:fs';
import { SECRET_TEMPLATE_FILE, TARGET_NAMES } from '../layout';
import { K8sResource, parseManifests } from '../manifest/k8s-resource';
import { problemAbout } from '../testing/expect-problem';
import { mutatedTarget } from '../testing/mutated-target';
import { renderTarget } from './rendered-target';
import { secretTemplateProblems } from './secret-template';

describe('secretTemplateProblems', () => {
  const template = parseManifests(readFileSync(SECRET_TEMPLATE_FILE, 'utf8'), SECRET_TEMPLATE_FILE);
  const targets = TARGET_NAMES.map((name) => renderTarget(name));
  const withValues = (change: (values: Record<string, string>) => void): K8sResource[] => {
    const copy = structuredClone(template) as any[];
    change(copy[0].stringData);
    return copy;
  };

  it('finds none: the template lists exactly what the manifests read, and no value', () => {
    expect(secretTemplateProblems(template, targets)).toEqual([]);
  });

  it('reports a value in the template, a key nothing reads and a key the template lacks', () => {
    expect(secretTemplateProblems(withValues((values) => (values.LLM_API_KEY = 'sk-live')), targets)).toEqual([
      problemAbout('Secret/agentos-secrets', /LLM_API_KEY must be empty/),
    ]);
    expect(secretTemplateProblems(withValues((values) => (values.UNUSED = '')), targets)).toEqual([problemAbout('Secret/agentos-secrets', /lists UNUSED, which no manifest reads/)]);
    expect(secretTemplateProblems(withValues((values) => delete values.EMBEDDING_API_KEY), targets)).toEqual([
      problemAbout('Secret/agentos-secrets', /lacks EMBEDDING_API_KEY/),
    ]);
  });

  it('reports a target that renders a Secret', () => {
    const leaking = mutatedTarget(targets[1]!, 'ConfigMap', 'agentos-config', (c: any) => {
      c.kind = 'Secret';
      c.metadata.name = 'agentos-secrets';
    });
    expect(secretTemplateProblems(template, [leaking])).toContainEqual(problemAbout('Secret/agentos-dev/agentos-secrets', /renders a Secret/));
  });
});
