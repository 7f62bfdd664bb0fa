/** Whether worker types are offered now, and a way to wait until they are. */
export interface WorkerTypeAvailability {
  /** The given worker types nobody offers at the moment, sorted. */
  unavailable(workerTypes: Iterable<string>): string[];
  /** Resolves true once every given worker type is offered, false when `timeoutMs` passes first. */
  whenOffered(workerTypes: readonly string[], timeoutMs: number): Promise<boolean>;
}
