import { PartitionOwnershipListener } from '@agentos/runtime';

/**
 * Subscriptions are declared before the Nest container builds the supervisor's parts, and
 * partitions are assigned only once the service listens: this stands in for the real
 * listener in the subscription and forwards to it once the module has built it.
 */
export class DeferredOwnership implements PartitionOwnershipListener {
  private target: PartitionOwnershipListener | undefined;

  bind(target: PartitionOwnershipListener): void {
    this.target = target;
  }

  assigned(partitions: readonly number[]): Promise<void> {
    if (!this.target) return Promise.reject(new Error('partitions were assigned before the supervisor was built'));
    return this.target.assigned(partitions);
  }

  revoked(partitions: readonly number[]): void {
    this.target?.revoked(partitions);
  }
}
