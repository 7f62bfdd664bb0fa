import { Logger } from '@nestjs/common';
import { GoalMessage, TopicRegistry } from '@agentos/contracts';
import { keyPartition, MessageBus, PartitionOwnershipListener } from '@agentos/runtime';
import { GoalOwnership } from '../goals/goal-intake';
import { RunDriver } from '../runs/run-driver';
import { RunRegistry } from '../runs/run-registry';
import { RunJournal } from './run-journal';
import { restoreRun } from './run-restorer';
import { RunView } from './run-view';

/** How long this instance waits to write its claims and read them back before the assignment is retried. */
const CLAIM_TIMEOUT_MS = 30_000;

/**
 * Which goal partitions this supervisor instance drives, following its consumer group's
 * assignment. On an assignment it claims every partition on the runs topic and waits to read
 * the claims back (the view then holds everything written before them), restores the running
 * goals of partitions it did not drive, and only then lets their goals and results through.
 * It stops driving a partition when the group takes it away, or as soon as it reads a newer
 * claim by another instance (it was a zombie: paused past its session, or cut off).
 */
export class PartitionOwnership implements PartitionOwnershipListener, GoalOwnership {
  private readonly logger = new Logger(PartitionOwnership.name);
  private readonly driven = new Set<number>();
  /** The goals topic's partition count as the broker has it, read before the first goal is handed over. */
  private goalPartitions = 0;

  constructor(
    private readonly bus: MessageBus,
    private readonly journal: RunJournal,
    private readonly view: RunView,
    private readonly runs: RunRegistry,
    private readonly driver: RunDriver,
    private readonly topics: TopicRegistry,
  ) {
    view.onPartitionLost((partition, claimant) => {
      if (!this.driven.has(partition)) return;
      this.logger.warn(`partition ${partition} was claimed by ${claimant}: this instance stops driving its goals`);
      this.release(partition);
    });
  }

  /** Whether this instance drives the goals of `partition` now. */
  drives(partition: number): boolean {
    return this.driven.has(partition);
  }

  homePartition(goalId: string): number | undefined {
    return this.goalPartitions > 0 ? keyPartition(goalId, this.goalPartitions) : undefined;
  }

  async forward(goal: GoalMessage, home: number): Promise<void> {
    this.logger.debug(`goal ${goal.goalId} forwarded to partition ${home}, where its results land`);
    await this.bus.publish([{ topic: this.topics.goals(), key: goal.goalId, partition: home, message: goal }]);
  }

  async assigned(partitions: readonly number[]): Promise<void> {
    if (this.goalPartitions === 0) this.goalPartitions = await this.bus.partitionCount(this.topics.goals());
    // Partitions taken away while an earlier assignment was still being restored.
    for (const partition of [...this.driven]) if (!partitions.includes(partition)) this.release(partition);
    const claims = partitions.map((partition) => ({ partition, ...this.journal.claim(partition) }));
    const read = Promise.all(claims.map(({ claimId }) => this.view.whenClaimRead(claimId)));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.bus.publish(claims.map(({ message }) => message)).then(() => read),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`claims not written and read back from the runs topic within ${CLAIM_TIMEOUT_MS} ms`)), CLAIM_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      for (const { claimId } of claims) this.view.abandonClaim(claimId);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    let restored = 0;
    for (const partition of partitions) {
      if (this.driven.has(partition)) continue;
      restored += await this.restore(partition);
      this.driven.add(partition);
    }
    this.logger.log(`driving partitions [${partitions.join(', ')}]; ${restored} running goal(s) restored`);
  }

  revoked(partitions: readonly number[]): void {
    for (const partition of partitions) this.release(partition);
  }

  private release(partition: number): void {
    this.driven.delete(partition);
    const released = this.driver.release((run) => run.partition === partition);
    if (released > 0) this.logger.log(`released ${released} running goal(s) of partition ${partition}`);
  }

  private async restore(partition: number): Promise<number> {
    for (const [goalId, status] of this.view.finishedIn(partition)) this.runs.rememberFinished(goalId, status);
    let count = 0;
    for (const journaled of this.view.runningIn(partition)) {
      if (this.runs.knows(journaled.snapshot.goalId)) continue;
      const restored = restoreRun(journaled);
      if (!restored.ok) {
        this.logger.error(`goal ${journaled.snapshot.goalId} cannot be restored: ${restored.reason}`);
        await this.driver.abandon(journaled.snapshot.goal, journaled.partition, restored.reason);
        continue;
      }
      await this.driver.resume(restored.run, restored.failure);
      count++;
    }
    return count;
  }
}
