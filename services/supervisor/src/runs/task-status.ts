/** Where each task of a run stands. Stored as bytes: a run may hold 100,000 tasks. */
export enum TaskStatus {
  /** Waiting for dependencies. */
  Pending = 0,
  /** Dependencies done; waiting for a dispatch slot. */
  Ready = 1,
  /** Sent to a worker; a result or the deadline will decide. */
  Dispatched = 2,
  /** Failed, and a retry is scheduled after a backoff. */
  RetryScheduled = 3,
  Succeeded = 4,
  Failed = 5,
}
