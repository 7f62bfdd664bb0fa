import { MessageKind } from './message-kind';

/**
 * Major version of the wire format. Additive changes keep it; a breaking change bumps it
 * and the topic suffix (`.v2`), so old and new consumers can run side by side.
 */
export const SCHEMA_VERSION = 1 as const;

/** Fields every message carries, whatever its kind. */
export interface Envelope<K extends MessageKind = MessageKind> {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  /** Unique per message (uuid); consumers may dedupe on it. */
  readonly id: string;
  readonly kind: K;
  /** The goal this message belongs to; groups a goal's whole conversation. */
  readonly goalId: string;
  /** Ties every message of one submitted goal together across services (usually the goal's id). */
  readonly correlationId: string;
  /** The id of the message that caused this one. */
  readonly causationId?: string;
  /** ISO 8601 timestamp of creation. */
  readonly createdAt: string;
}
