import { Partitioners } from 'kafkajs';

const partitioner = Partitioners.DefaultPartitioner();
const metadataBySize = new Map<number, Array<{ partitionId: number; leader: number; replicas: number[]; isr: number[]; partitionErrorCode: number }>>();

/**
 * The partition a record with `key` lands on in a topic of `partitions` partitions when its
 * producer uses the Java client's default partitioner (murmur2), as the Kafka bus does.
 */
export function keyPartition(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  let metadata = metadataBySize.get(partitions);
  if (!metadata) {
    metadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
    metadataBySize.set(partitions, metadata);
  }
  return partitioner({ topic: '', partitionMetadata: metadata, message: { key, value: null } });
}
