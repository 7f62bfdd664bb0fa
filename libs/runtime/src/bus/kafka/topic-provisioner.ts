import { Logger } from '@nestjs/common';
import { TopicSpec } from '@agentos/contracts';
import { Admin, ITopicConfig, ITopicMetadata } from 'kafkajs';
import { TransportError } from '../../errors/agentos-error';

const LEADER_POLL_INTERVAL_MS = 100;

/**
 * Creates the topics a registry declares, with their partition counts and retention, and
 * leaves existing topics alone (several processes may start at once). Resolves only once
 * every partition has a leader, so the first publish or subscribe does not race the election.
 */
export class TopicProvisioner {
  private readonly logger = new Logger(TopicProvisioner.name);

  constructor(
    private readonly admin: Pick<Admin, 'createTopics' | 'fetchTopicMetadata'>,
    private readonly replicationFactor: number,
    private readonly timeoutMs: number,
  ) {}

  async provision(specs: readonly TopicSpec[]): Promise<void> {
    const topics = specs.map((spec) => this.topicConfig(spec));
    try {
      // Resolves false when some topics already existed; it then skips waiting for the new
      // ones' leaders, which awaitLeaders covers.
      await this.admin.createTopics({ topics, waitForLeaders: true, timeout: this.timeoutMs });
      const metadata = await this.awaitLeaders(specs.map((spec) => spec.name));
      this.warnAboutMissingPartitions(specs, metadata);
    } catch (error) {
      if (error instanceof TransportError) throw error;
      throw new TransportError(
        `could not create topics: ${(error as Error).message}`,
        true,
        { topics: specs.map((spec) => spec.name) },
        error,
      );
    }
  }

  private topicConfig(spec: TopicSpec): ITopicConfig {
    const configEntries: Array<{ name: string; value: string }> = [{ name: 'cleanup.policy', value: spec.cleanupPolicy }];
    if (spec.retentionMs !== undefined) configEntries.push({ name: 'retention.ms', value: String(spec.retentionMs) });
    if (spec.minCompactionLagMs !== undefined) configEntries.push({ name: 'min.compaction.lag.ms', value: String(spec.minCompactionLagMs) });
    return {
      topic: spec.name,
      numPartitions: spec.partitions,
      replicationFactor: this.replicationFactor,
      configEntries,
    };
  }

  private async awaitLeaders(topics: string[]): Promise<ITopicMetadata[]> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      let metadata: ITopicMetadata[] | undefined;
      try {
        metadata = (await this.admin.fetchTopicMetadata({ topics })).topics;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
      if (metadata && metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0))) {
        return metadata;
      }
      if (Date.now() >= deadline) {
        throw new TransportError(`timed out after ${this.timeoutMs} ms waiting for topic leaders`, true, { topics });
      }
      await new Promise((resolve) => setTimeout(resolve, LEADER_POLL_INTERVAL_MS));
    }
  }

  /** Fewer partitions than declared breaks co-partitioning and caps a pool's parallelism. */
  private warnAboutMissingPartitions(specs: readonly TopicSpec[], metadata: readonly ITopicMetadata[]): void {
    const actual = new Map(metadata.map((topic) => [topic.name, topic.partitions.length]));
    for (const spec of specs) {
      const partitions = actual.get(spec.name) ?? 0;
      if (partitions < spec.partitions) {
        this.logger.warn(
          `topic ${spec.name} has ${partitions} partitions, the registry declares ${spec.partitions}: ` +
            'keys will not co-partition with other topics and consumers beyond that count stay idle',
        );
      }
    }
  }
}
