import { newEnvelope, TaskMessage } from '@agentos/contracts';
import { Admin, ITopicMetadata } from 'kafkajs';
import { TransportError } from '../../errors/agentos-error';
import { OutboundMessage } from '../message-bus';
import { PartitionCounts } from './partition-counts';

const task: TaskMessage = {
  ...newEnvelope('task', { goalId: 'g' }),
  taskId: 't',
  attempt: 1,
  workerType: 'io',
  tool: 'noop',
  input: {},
  timeoutMs: 1_000,
  idempotencyKey: 'g:t',
};
const to = (topic: string, partition?: number): OutboundMessage => ({ topic, key: 'k', message: task, ...(partition !== undefined ? { partition } : {}) });

/** An admin whose topics have the given partition counts (changeable), counting metadata requests. */
function fakeAdmin(counts: Record<string, number>) {
  const fetchTopicMetadata = jest.fn(async ({ topics }: { topics?: string[] } = {}) => ({
    topics: (topics ?? []).map(
      (name): ITopicMetadata => ({
        name,
        partitions: Array.from({ length: counts[name] ?? 0 }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 1, replicas: [1], isr: [1] })),
      }),
    ),
  }));
  return { admin: { fetchTopicMetadata } as Pick<Admin, 'fetchTopicMetadata'>, fetchTopicMetadata };
}

describe('PartitionCounts', () => {
  it('accepts partitions that exist, reading each topic once', async () => {
    const { admin, fetchTopicMetadata } = fakeAdmin({ goals: 6, runs: 6 });
    const counts = new PartitionCounts(admin);
    await counts.assertExist([to('goals', 0), to('goals', 5), to('runs', 3), to('goals')]);
    await counts.assertExist([to('goals', 2), to('runs', 5)]);
    expect(fetchTopicMetadata).toHaveBeenCalledTimes(2);
    expect(fetchTopicMetadata.mock.calls.map(([request]) => request?.topics)).toEqual([['goals'], ['runs']]);
  });

  it('does not ask at all when no message names a partition', async () => {
    const { admin, fetchTopicMetadata } = fakeAdmin({ goals: 6 });
    await new PartitionCounts(admin).assertExist([to('goals'), to('goals')]);
    expect(fetchTopicMetadata).not.toHaveBeenCalled();
  });

  it('rejects a partition the topic does not have, not retriable (kafkajs would drop the record and report success)', async () => {
    const counts = new PartitionCounts(fakeAdmin({ goals: 6 }).admin);
    const error = await counts.assertExist([to('goals', 1), to('goals', 6)]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ retriable: false, context: { topic: 'goals', partition: 6, partitions: 6 } });
    expect((error as Error).message).toBe('goals has 6 partitions: there is no partition 6 (key k)');
  });

  it('reads the count again when a partition beyond it is named, so added partitions are found', async () => {
    const partitionCounts = { goals: 3 };
    const { admin, fetchTopicMetadata } = fakeAdmin(partitionCounts);
    const counts = new PartitionCounts(admin);
    await counts.assertExist([to('goals', 2)]);
    partitionCounts.goals = 6;
    await counts.assertExist([to('goals', 4)]);
    expect(fetchTopicMetadata).toHaveBeenCalledTimes(2);
  });

  it('shares one metadata request among concurrent publishes', async () => {
    const { admin, fetchTopicMetadata } = fakeAdmin({ goals: 6 });
    const counts = new PartitionCounts(admin);
    await Promise.all([counts.assertExist([to('goals', 1)]), counts.assertExist([to('goals', 2)])]);
    expect(fetchTopicMetadata).toHaveBeenCalledTimes(1);
  });

  it('reports a metadata failure as retriable', async () => {
    const admin = { fetchTopicMetadata: jest.fn().mockRejectedValue(new Error('broker gone')) } as Pick<Admin, 'fetchTopicMetadata'>;
    await expect(new PartitionCounts(admin).assertExist([to('goals', 0)])).rejects.toMatchObject({
      name: 'TransportError',
      retriable: true,
      message: expect.stringContaining('broker gone'),
    });
  });
});
