#!/usr/bin/env node
// `npm test`: typecheck, lint (module boundaries included), build, then every Jest project
// (unit tests and the tests against a real Kafka broker). Ends with `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const checks = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['build', 'npm', ['run', '-s', 'build']],
];

let passed = 0;
let failed = 0;
for (const [name, command, args] of checks) {
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  const ok = status === 0;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (ok) passed++;
  else failed++;
}

const summaryFile = join(mkdtempSync(join(tmpdir(), 'agentos-test-')), 'summary.json');
const jestArgs = ['jest', '--reporters=default', `--reporters=${join(process.cwd(), 'tools/jest/summary-reporter.js')}`, ...process.argv.slice(2)];
const jest = spawnSync('npx', jestArgs, { stdio: 'inherit', env: { ...process.env, AGENTOS_TEST_SUMMARY: summaryFile } });
if (existsSync(summaryFile)) {
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  passed += summary.passed;
  failed += summary.failed;
  if (summary.failedSuites.length > 0) console.log(`failing suites:\n  ${summary.failedSuites.join('\n  ')}`);
} else {
  console.log(`jest ended with status ${jest.status} and no summary`);
  failed++;
}
if (jest.status !== 0 && failed === 0) failed++;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
