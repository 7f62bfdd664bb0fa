import { TARGET_NAMES } from '../layout';
import { checkSecretTemplate, checkTarget } from './all-checks';
import { formatProblem } from './problem';
import { renderTarget } from './rendered-target';

// The whole of `npm run k8s:validate` but the schemas (schema-check.spec.ts), as CI runs it.
describe('the Kubernetes manifests', () => {
  it.each(TARGET_NAMES)('%s follows every deployment rule and its own expectations', (name) => {
    expect(checkTarget(renderTarget(name)).map((found) => formatProblem(name, found))).toEqual([]);
  });

  it('read only Secret keys the template lists', () => {
    expect(checkSecretTemplate(TARGET_NAMES.map((name) => renderTarget(name)))).toEqual([]);
  });
});
