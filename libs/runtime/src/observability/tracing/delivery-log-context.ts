/**
 * Whether deliveries get a log context (goal and task ids) when tracing is off. Off by default:
 * on Node 20, the first use of AsyncLocalStorage installs promise hooks for the whole process,
 * which halves the embedded bus's throughput (the embedded benchmark: ~30,000 -> ~16,000 tasks/s).
 * With tracing on, the OpenTelemetry context manager pays that cost already and the log context
 * is always set.
 */
let enabled = false;

/** Turns the log context around deliveries on or off for the process (e.g. on for JSON logs of a service on Kafka). */
export function setDeliveryLogContext(on: boolean): void {
  enabled = on;
}

export function deliveryLogContextEnabled(): boolean {
  return enabled;
}
