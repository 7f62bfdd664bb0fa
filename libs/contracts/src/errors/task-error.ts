import { JsonObject } from '../json/json-value';
import { TaskErrorCode } from './task-error-code';

/** The structured error inside a failed Result. */
export interface TaskError {
  readonly code: TaskErrorCode;
  readonly message: string;
  readonly retriable: boolean;
  /** For `rate_limited`: how long the reporter asks the caller to wait. */
  readonly retryAfterMs?: number;
  readonly details?: JsonObject;
}
