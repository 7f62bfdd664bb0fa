import { IHeaders } from 'kafkajs';
import { Headers } from '../message-bus';

const NO_HEADERS: Headers = Object.freeze({});

/**
 * Kafka header values are bytes and a name may repeat; a Delivery carries one UTF-8 string
 * per name, the last one written.
 */
export function toStringHeaders(headers: IHeaders | undefined): Headers {
  if (!headers) return NO_HEADERS;
  let strings: Record<string, string> | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    (strings ??= {})[name] = typeof last === 'string' ? last : last.toString('utf8');
  }
  return strings ?? NO_HEADERS;
}
