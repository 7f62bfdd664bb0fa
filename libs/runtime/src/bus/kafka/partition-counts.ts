import { Admin } from 'kafkajs';
import { TransportError } from '../../errors/agentos-error';
import { OutboundMessage } from '../message-bus';

/**
 * Checks that explicit partitions exist before kafkajs sees them: kafkajs silently drops a
 * record for a partition it knows no leader of and reports the send as successful. Counts are
 * read once per topic and again only when a publish names a partition beyond the known count
 * (partitions are only ever added).
 */
export class PartitionCounts {
  private readonly counts = new Map<string, number>();
  private readonly reading = new Map<string, Promise<number>>();

  constructor(private readonly admin: Pick<Admin, 'fetchTopicMetadata'>) {}

  async assertExist(messages: readonly OutboundMessage[]): Promise<void> {
    for (const { topic, key, partition } of messages) {
      if (partition === undefined || partition < (this.counts.get(topic) ?? 0)) continue;
      const count = await this.read(topic);
      if (partition >= count) {
        throw new TransportError(`${topic} has ${count} partitions: there is no partition ${partition} (key ${key})`, false, {
          topic,
          key,
          partition,
          partitions: count,
        });
      }
    }
  }

  /** How many partitions `topic` has (read once, then remembered). */
  count(topic: string): Promise<number> {
    const known = this.counts.get(topic);
    return known !== undefined ? Promise.resolve(known) : this.read(topic);
  }

  private read(topic: string): Promise<number> {
    let reading = this.reading.get(topic);
    if (!reading) {
      reading = this.fetchCount(topic).finally(() => this.reading.delete(topic));
      this.reading.set(topic, reading);
    }
    return reading;
  }

  private async fetchCount(topic: string): Promise<number> {
    try {
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
      const count = topics.find((metadata) => metadata.name === topic)?.partitions.length ?? 0;
      this.counts.set(topic, count);
      return count;
    } catch (error) {
      throw new TransportError(`could not read how many partitions ${topic} has: ${(error as Error).message}`, true, { topic }, error);
    }
  }
}
