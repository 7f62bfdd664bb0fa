import { decode } from '@agentos/contracts';
import { DLQ_HEADERS } from '@agentos/runtime';

export interface ReplayFilters {
  /** Only records dead-lettered from this topic. */
  readonly sourceTopic?: string;
  /** Only records dead-lettered with this code (`handler_failed`, `schema_violation`, ...). */
  readonly code?: string;
  /** Replay records that still do not decode (they will be dead-lettered again). */
  readonly includeUndecodable?: boolean;
}

export interface DeadLetterRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export type ReplayDecision =
  | { readonly replay: true; readonly topic: string; readonly key: Buffer | null; readonly value: Buffer; readonly headers: Record<string, string> }
  | { readonly replay: false; readonly reason: string };

/**
 * Whether one DLQ record goes back to the topic it came from: it must say where it came from,
 * match the filters, and (unless asked otherwise) decode now, i.e. the fix it waited for is in.
 * The original headers go back; the dead-letter ones do not.
 */
export function decideReplay(record: DeadLetterRecord, filters: ReplayFilters, isOurTopic: (topic: string) => boolean): ReplayDecision {
  const topic = record.headers[DLQ_HEADERS.sourceTopic];
  if (!topic) return { replay: false, reason: 'no source topic header' };
  // Anyone who can write the DLQ could name any topic: only this deployment's own topics are targets.
  if (!isOurTopic(topic)) return { replay: false, reason: 'source topic is not one of this namespace' };
  if (record.value === null) return { replay: false, reason: 'no value' };
  if (filters.sourceTopic !== undefined && topic !== filters.sourceTopic) return { replay: false, reason: 'other source topic' };
  const code = record.headers[DLQ_HEADERS.code];
  if (filters.code !== undefined && code !== filters.code) return { replay: false, reason: 'other code' };
  if (!filters.includeUndecodable) {
    const decoded = decode(topic, record.value);
    if (!decoded.ok) return { replay: false, reason: `still undecodable (${decoded.error.code})` };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (!name.startsWith('x-agentos-dlq-')) headers[name] = value;
  }
  headers['x-agentos-replayed-from-dlq'] = code ?? 'unknown';
  return { replay: true, topic, key: record.key, value: record.value, headers };
}
