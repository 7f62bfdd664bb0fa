import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
// Jest loads global setup outside its module mapper, so the path alias cannot be used here.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { kafkaGlobalSetup } from '../libs/test-kit/src/kafka/kafka-global-setup';

/**
 * The e2e tests run the services as separate processes from dist/, as in production: build
 * first (SWC, about a second), so a stale build is never what gets tested. Then a broker.
 */
export default async function e2eGlobalSetup(): Promise<void> {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: join(__dirname, '..'), stdio: 'inherit' });
  await kafkaGlobalSetup();
}
