/**
 * Hard limits of the wire format. Publishers in other languages read them from the JSON
 * Schemas; consumers enforce them before and during validation.
 */
export const LIMITS = {
  /** Largest encoded message accepted from a bus (Kafka's default max.message.bytes is ~1 MiB). */
  maxMessageBytes: 1_000_000,
  /** Deepest nesting accepted anywhere in a message. */
  maxJsonDepth: 64,
  maxIdLength: 128,
  maxGoalTextLength: 20_000,
  maxErrorMessageLength: 4_096,
  maxTasksPerGraph: 100_000,
  maxDependenciesPerTask: 1_000,
  maxOutputsPerGraph: 1_000,
  maxTaskTimeoutMs: 86_400_000,
  maxAttempts: 100,
  maxGoalConcurrency: 100_000,
  maxGoalDeadlineMs: 7 * 86_400_000,
  /** Tools one worker instance may announce. */
  maxToolsPerWorker: 256,
  maxToolDescriptionLength: 2_000,
  /** Longest a capability announcement may stay valid without being renewed. */
  maxCapabilityTtlMs: 86_400_000,
  maxWorkerConcurrency: 100_000,
  /** Most cost units one result may report. */
  maxResultCost: 1_000_000_000,
} as const;

/** Identifiers: goal ids, task ids, worker ids. No dots, so `taskId.path` references stay unambiguous. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_:-]{0,127}$/;
/** Worker type names appear in topic names, so they are restricted to topic-safe characters. */
export const WORKER_TYPE_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
/** Tool names: lowercase, dotted namespaces (`fs.read`, `csv.parse`). */
export const TOOL_NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,3}$/;
