/**
 * Writes k8s/base/topics.yaml, the Strimzi KafkaTopics generated from the topic registry:
 *
 *   npm run k8s:topics
 *
 * Run it after changing the topic registry or the topic settings of k8s/base/config.yaml;
 * deploy/src/k8s/topics/topics-file.spec.ts fails until then.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT, TOPICS_FILE } from '../../deploy/src/k8s/layout';
import { renderTopicsFile } from '../../deploy/src/k8s/topics/topics-file';

writeFileSync(TOPICS_FILE, renderTopicsFile(), 'utf8');
console.log(`wrote ${relative(REPO_ROOT, TOPICS_FILE)}`);
