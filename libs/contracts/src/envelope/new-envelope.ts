import { randomUUID } from 'node:crypto';
import { Envelope, SCHEMA_VERSION } from './envelope';
import { isoTime } from './iso-clock';
import { MessageKind } from './message-kind';

/**
 * A fresh envelope. With a `cause`, the new message inherits its goal and correlation and
 * records the cause's id as its causation.
 */
export function newEnvelope<K extends MessageKind>(
  kind: K,
  from: { goalId: string; correlationId?: string; causationId?: string } | Envelope,
): Envelope<K> {
  const isCause = 'id' in from && 'kind' in from;
  return {
    schemaVersion: SCHEMA_VERSION,
    id: randomUUID(),
    kind,
    goalId: from.goalId,
    correlationId: from.correlationId ?? from.goalId,
    causationId: isCause ? (from as Envelope).id : (from as { causationId?: string }).causationId,
    createdAt: isoTime(),
  };
}
