import { readFileSync } from 'node:fs';
import { SECRET_TEMPLATE_FILE } from '../layout';
import { parseManifests } from '../manifest/k8s-resource';
import { autoscalingProblems } from './autoscaling';
import { kafkaResourceProblems } from './kafka-resources';
import { networkPolicyProblems } from './network-policies';
import { opsEndpointProblems } from './ops-endpoint';
import { podResourceProblems } from './pod-resources';
import { podSecurityProblems } from './pod-security';
import { Problem } from './problem';
import { KnownTarget, RenderedTarget } from './rendered-target';
import { secretTemplateProblems } from './secret-template';
import { serviceConfigProblems } from './service-config';
import { TARGET_EXPECTATIONS, targetExpectationProblems } from './target-expectations';

/** The rules every rendered target follows, by name. */
export const TARGET_CHECKS: ReadonlyArray<readonly [string, (target: RenderedTarget) => Problem[]]> = [
  ['pod security', podSecurityProblems],
  ['ops endpoint and probes', opsEndpointProblems],
  ['resources, volumes and shutdown', podResourceProblems],
  ['service configuration', serviceConfigProblems],
  ['network policies', networkPolicyProblems],
  ['autoscaling and disruption budgets', autoscalingProblems],
  ['Kafka topics and user', kafkaResourceProblems],
];

/** Every rule plus the target's own expectations. */
export function checkTarget(target: KnownTarget): Problem[] {
  return [...TARGET_CHECKS.flatMap(([, check]) => check(target)), ...targetExpectationProblems(target, TARGET_EXPECTATIONS[target.name])];
}

/** The Secret template against what every target reads from it. */
export function checkSecretTemplate(targets: readonly RenderedTarget[]): Problem[] {
  return secretTemplateProblems(parseManifests(readFileSync(SECRET_TEMPLATE_FILE, 'utf8'), SECRET_TEMPLATE_FILE), targets);
}
