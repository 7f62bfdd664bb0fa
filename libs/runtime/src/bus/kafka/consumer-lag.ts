import { Admin } from 'kafkajs';
import { TransportError } from '../../errors/agentos-error';
import { ConsumerLag } from '../bus-health';

/** A subscription whose lag is asked for. */
export interface LaggingSubscription {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where the group starts before its first commit: what an uncommitted partition's lag counts from. */
  readonly startFrom: 'earliest' | 'latest';
}

interface PartitionEnds {
  readonly low: number;
  readonly high: number;
}

/**
 * Each subscription's lag per topic and partition: the broker's end offset minus the group's
 * committed offset (or, before the group's first commit there, every retained record for a group
 * starting at the earliest, none for one starting at the latest). One offsets request per topic
 * and per group; rejects with a retriable TransportError when the broker does not answer within
 * `timeoutMs`.
 */
export async function fetchConsumerLag(admin: Admin, subscriptions: readonly LaggingSubscription[], timeoutMs: number): Promise<ConsumerLag[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransportError(`Kafka did not report consumer offsets within ${timeoutMs} ms`, true, { timeoutMs })), timeoutMs);
  });
  const reading = readLag(admin, subscriptions);
  reading.catch(() => undefined); // abandoned on timeout: its late failure is of no interest
  try {
    return await Promise.race([reading, timeout]);
  } catch (error) {
    if (error instanceof TransportError) throw error;
    throw new TransportError(`reading consumer offsets failed: ${(error as Error).message}`, true, {}, error);
  } finally {
    clearTimeout(timer);
  }
}

async function readLag(admin: Admin, subscriptions: readonly LaggingSubscription[]): Promise<ConsumerLag[]> {
  const topics = [...new Set(subscriptions.flatMap((subscription) => subscription.topics))];
  const groups = mergeByGroup(subscriptions);
  const [ends, committed] = await Promise.all([
    Promise.all(topics.map(async (topic) => [topic, await partitionEnds(admin, topic)] as const)),
    Promise.all(groups.map(async (group) => [group, await admin.fetchOffsets({ groupId: group.groupId, topics: [...group.topics] })] as const)),
  ]);
  const endsByTopic = new Map(ends);
  const lags: ConsumerLag[] = [];
  for (const [group, offsets] of committed) {
    for (const { topic, partitions } of offsets) {
      const topicEnds = endsByTopic.get(topic);
      if (!topicEnds) continue;
      for (const { partition, offset } of partitions) {
        const end = topicEnds.get(partition);
        if (!end) continue;
        lags.push({ groupId: group.groupId, topic, partition, lag: lagOf(end, Number(offset), group.startFrom) });
      }
    }
  }
  return lags;
}

function lagOf({ low, high }: PartitionEnds, committed: number, startFrom: 'earliest' | 'latest'): number {
  if (committed < 0) return startFrom === 'latest' ? 0 : high - low;
  // Records below `low` were deleted by retention: they can no longer be behind.
  return Math.max(0, high - Math.max(committed, low));
}

async function partitionEnds(admin: Admin, topic: string): Promise<Map<number, PartitionEnds>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map(({ partition, low, high }) => [partition, { low: Number(low), high: Number(high) }]));
}

/** Subscriptions of one group (several members of it on one bus) read its offsets once. */
function mergeByGroup(subscriptions: readonly LaggingSubscription[]): LaggingSubscription[] {
  const byGroup = new Map<string, { groupId: string; topics: Set<string>; startFrom: 'earliest' | 'latest' }>();
  for (const { groupId, topics, startFrom } of subscriptions) {
    const group = byGroup.get(groupId) ?? { groupId, topics: new Set<string>(), startFrom };
    for (const topic of topics) group.topics.add(topic);
    byGroup.set(groupId, group);
  }
  return [...byGroup.values()].map(({ groupId, topics, startFrom }) => ({ groupId, topics: [...topics], startFrom }));
}
