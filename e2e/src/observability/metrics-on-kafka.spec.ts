import { encode } from '@agentos/contracts';
import { sampleTask, ServiceProcess, uniqueName, waitFor } from '@agentos/test-kit';
import { Producer } from 'kafkajs';
import { freshNamespace, plainKafka, serviceEnv } from '../support/kafka-env';
import { freePort } from './listening-sockets';
import { samplesOf } from './prometheus-text';

jest.setTimeout(120_000);

const TASKS = 6;
const TASK_MS = 1_500;

/**
 * A logic worker process on a real broker, scraped through its ops server while a malformed
 * record and a backlog of slow tasks reach its pool's topic.
 */
describe('/metrics of a worker process on Kafka', () => {
  let worker: ServiceProcess | undefined;
  let producer: Producer | undefined;

  afterEach(async () => {
    await producer?.disconnect();
    await worker?.stop();
  });

  it('shows the dead-lettered record by code, the consumer lag growing and draining, and the tasks run', async () => {
    const { namespace, topics } = freshNamespace();
    const port = await freePort();
    // One task at a time (two taken off the bus): the rest wait in the topic, as lag.
    worker = await new ServiceProcess('worker-logic', serviceEnv(namespace, { OPS_HTTP_PORT: String(port), WORKER_CONCURRENCY: '1' })).ready();
    const scrape = async (): Promise<string> => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const tasksTopic = topics.tasks('logic');
    const group = topics.group('worker.logic');
    const lag = (text: string): number => samplesOf(text, 'agentos_consumer_lag_records', { group, topic: tasksTopic }).reduce((sum, sample) => sum + sample.value, 0);

    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200, { timeoutMs: 30_000, description: 'the worker to be ready' });

    producer = plainKafka().producer();
    await producer.connect();
    const goalId = uniqueName('goal');
    await producer.send({
      topic: tasksTopic,
      messages: [
        { key: 'poison', value: Buffer.from('{"kind": "task", not json') },
        ...Array.from({ length: TASKS }, (_, index) => {
          const task = sampleTask({ goalId, taskId: `t${index}`, workerType: 'logic', tool: 'noop', input: { delayMs: TASK_MS }, timeoutMs: 60_000 });
          return { key: task.taskId, value: encode(task) };
        }),
      ],
    });

    const dead = await waitFor(
      async () => {
        const counted = samplesOf(await scrape(), 'agentos_dead_letters_total', { topic: tasksTopic });
        return counted.length > 0 && counted;
      },
      { timeoutMs: 30_000, description: 'the malformed record to be counted' },
    );
    expect(dead).toEqual([{ name: 'agentos_dead_letters_total', labels: { topic: tasksTopic, code: 'malformed_json' }, value: 1 }]);

    const backlog = await waitFor(async () => lag(await scrape()), { timeoutMs: 30_000, intervalMs: 100, description: 'the consumer lag to show the backlog' });
    expect(backlog).toBeGreaterThan(0);
    expect(backlog).toBeLessThanOrEqual(TASKS + 1);

    const done = await waitFor(
      async () => {
        const text = await scrape();
        const succeeded = samplesOf(text, 'agentos_worker_tasks_total', { worker_type: 'logic', tool: 'noop', status: 'succeeded' })[0]?.value;
        return succeeded === TASKS && lag(text) === 0 && text;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `all ${TASKS} tasks run and the lag back to 0` },
    );
    const partitions = samplesOf(done, 'agentos_consumer_lag_records', { group, topic: tasksTopic }).map((sample) => sample.labels.partition).sort();
    expect(partitions).toEqual(['0', '1', '2']);
    const runs = samplesOf(done, 'agentos_worker_task_duration_seconds_count', { worker_type: 'logic', tool: 'noop' });
    expect(runs).toEqual([expect.objectContaining({ value: TASKS })]);
    const seconds = samplesOf(done, 'agentos_worker_task_duration_seconds_sum', { worker_type: 'logic', tool: 'noop' })[0]!.value;
    expect(seconds).toBeGreaterThanOrEqual((TASKS * TASK_MS) / 1000 - 0.1);
    expect(samplesOf(done, 'agentos_consumer_lag_read_failures_total')).toEqual([expect.objectContaining({ value: 0 })]);
    expect(await worker.stop()).toBe(0);
  });
});
