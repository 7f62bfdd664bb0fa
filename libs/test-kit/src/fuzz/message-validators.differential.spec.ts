import { MESSAGE_DTOS, newEnvelope } from '@agentos/contracts';
import { sampleGoal, sampleTask } from '../messages/sample-messages';
import { compareWithClassValidator } from './dto-differential';

const AT = '2026-01-01T12:00:00.000Z';
const timings = { receivedAt: AT, startedAt: AT, finishedAt: AT, runMs: 3 };

const SAMPLES = {
  goal: [
    sampleGoal('goal-1', {
      tasks: [
        { id: 'read', workerType: 'io', tool: 'fs.read', input: { path: 'a.csv' } },
        { id: 'parse', workerType: 'logic', tool: 'csv.parse', input: { text: { $ref: 'read.content' } }, dependsOn: ['read'], timeoutMs: 5_000, maxAttempts: 2 },
      ],
      outputs: ['parse'],
    }, { options: { maxConcurrency: 4, deadlineMs: 60_000, priority: 5, budget: { maxTasks: 10, maxTokens: 1_000 } }, submitter: 'cli' }),
  ],
  task: [sampleTask({ input: { path: 'a.csv', nested: { list: [1, 'two'] } } })],
  result: [
    { ...newEnvelope('result', { goalId: 'goal-1' }), taskId: 't', attempt: 1, workerType: 'io', workerId: 'io-1', status: 'succeeded', output: { rows: [1, 2] }, cost: 2.5, timings },
    { ...newEnvelope('result', { goalId: 'goal-1' }), taskId: 't', attempt: 2, workerType: 'io', workerId: 'io-1', status: 'failed', error: { code: 'rate_limited', message: 'slow down', retriable: true, retryAfterMs: 500, details: { limit: 10 } }, cost: 0.75, timings },
  ],
  control: [
    { ...newEnvelope('control', { goalId: 'goal-1' }), signal: 'cancel', target: { goalId: 'goal-1', taskId: 't' }, reason: 'user' },
    { ...newEnvelope('control', { goalId: '*' }), signal: 'set_concurrency', target: { workerType: 'io' }, value: 4 },
  ],
  event: [{ ...newEnvelope('event', { goalId: 'goal-1' }), type: 'task.succeeded', taskId: 't', attempt: 1, data: { latencyMs: 1.5 } }],
  capabilities: [
    {
      ...newEnvelope('capabilities', { goalId: '*', correlationId: 'io-1' }),
      workerType: 'io',
      workerId: 'io-1',
      concurrency: 8,
      ttlMs: 30_000,
      tools: [
        { name: 'fs.read', description: 'Reads a file.', sideEffects: false, inputSchema: { type: 'object', required: ['path'] }, outputSchema: { type: 'object' } },
        { name: 'noop', description: 'Does nothing.', sideEffects: false, inputSchema: {}, outputSchema: {} },
      ],
    },
  ],
} as const;

describe('compiled message validators agree with class-validator', () => {
  it.each(Object.keys(SAMPLES) as (keyof typeof SAMPLES)[])('on 4,000 mutations of valid %s messages', (kind) => {
    const report = compareWithClassValidator(MESSAGE_DTOS[kind], SAMPLES[kind], { rounds: 4_000, seed: 0x5eed + kind.length });
    // Both verdicts must be well exercised, or agreement proves little.
    expect(report.rejected).toBeGreaterThan(1_000);
    expect(report.rejected).toBeLessThan(3_900);
  });
});
