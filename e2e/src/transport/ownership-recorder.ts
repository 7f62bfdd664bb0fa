import { PartitionOwnershipListener } from '@agentos/runtime';

/**
 * An ownership listener that writes what it is told into a log shared by every member of a
 * test, so the order across members can be checked. `assigned` answers with `answer`, which a
 * test may replace to hold or fail a restore.
 */
export class OwnershipRecorder implements PartitionOwnershipListener {
  readonly assignments: Array<readonly number[]> = [];
  readonly revocations: Array<readonly number[]> = [];
  answer: (partitions: readonly number[]) => Promise<void> = async () => undefined;

  constructor(
    readonly name: string,
    private readonly log: string[],
  ) {}

  /** The partitions of the latest assignment; none before the first. */
  get holds(): readonly number[] {
    return this.assignments.at(-1) ?? [];
  }

  assigned(partitions: readonly number[]): Promise<void> {
    this.assignments.push([...partitions]);
    this.log.push(`${this.name} assigned [${partitions.join(',')}]`);
    return this.answer(partitions);
  }

  revoked(partitions: readonly number[]): void {
    this.revocations.push([...partitions]);
    this.log.push(`${this.name} revoked [${partitions.join(',')}]`);
  }
}
