/** Discriminator of every message on the buses (`kind` on the wire). */
export const MESSAGE_KINDS = ['goal', 'task', 'result', 'control', 'event', 'capabilities', 'run'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export function isMessageKind(value: unknown): value is MessageKind {
  return typeof value === 'string' && (MESSAGE_KINDS as readonly string[]).includes(value);
}
