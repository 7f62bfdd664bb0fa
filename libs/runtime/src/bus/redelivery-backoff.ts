/** Delay before handing a failed record to its handler again: 10 ms doubling, capped at 1 s. */
export function redeliveryDelayMs(deliveryCount: number): number {
  return Math.min(10 * 2 ** Math.max(0, deliveryCount - 1), 1_000);
}
