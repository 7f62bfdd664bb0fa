/**
 * Validates the Kubernetes manifests offline, as CI does (deploy/src/k8s/*.spec.ts):
 *
 *   npm run k8s:validate
 *
 * Renders k8s/base and every overlay (kustomize subset, no kubectl needed), validates every
 * object against the Kubernetes, Strimzi and KEDA schemas, and checks the deployment rules:
 * pod security, probes and the ops port, resources and volumes, shutdown grace, network
 * policies, KEDA scaling against the services' consumer groups and partition counts, the
 * KafkaTopics against the topic registry, the Secret template. Exits 1 listing every problem.
 */
import { readFileSync } from 'node:fs';
import { checkSecretTemplate, checkTarget } from '../../deploy/src/k8s/checks/all-checks';
import { formatProblem } from '../../deploy/src/k8s/checks/problem';
import { renderTarget } from '../../deploy/src/k8s/checks/rendered-target';
import { SECRET_TEMPLATE_FILE, TARGET_NAMES } from '../../deploy/src/k8s/layout';
import { parseManifests } from '../../deploy/src/k8s/manifest/k8s-resource';
import { checkSchemas } from '../../deploy/src/k8s/schema/schema-check';

const lines: string[] = [];
const targets = TARGET_NAMES.map((name) => renderTarget(name));
for (const target of targets) {
  const problems = [...checkSchemas(target.resources), ...checkTarget(target)];
  lines.push(...problems.map((found) => formatProblem(target.name, found)));
  console.log(`${target.name}: ${target.resources.length} objects, ${problems.length} problems`);
}
const template = parseManifests(readFileSync(SECRET_TEMPLATE_FILE, 'utf8'), SECRET_TEMPLATE_FILE);
lines.push(...[...checkSchemas(template), ...checkSecretTemplate(targets)].map((found) => formatProblem('secret template', found)));
for (const line of lines) console.log(line);
console.log(lines.length === 0 ? 'k8s manifests valid' : `${lines.length} problems`);
process.exitCode = lines.length === 0 ? 0 : 1;
