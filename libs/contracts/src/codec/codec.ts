import { SCHEMA_VERSION } from '../envelope/envelope';
import { isMessageKind, MessageKind } from '../envelope/message-kind';
import { jsonDepthExceeds } from '../json/is-bounded-json.decorator';
import { LIMITS } from '../limits';
import { BusMessage, MessageOfKind } from '../messages/agent-message';
import { kindsForTopic } from '../topics/topic-registry';
import { DecodeError, DecodeErrorCode, DecodeResult } from './decode-error';
import { validateMessage } from './validate-message';
import { describeViolations } from './violations';

/** Serialises a message for a bus. */
export function encode(message: BusMessage): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}

/**
 * Nesting past which a record is rejected before DTO validation. The DTO transformation is
 * recursive: a hostile record a few thousand levels deep (a few kB) would crash it with a
 * stack overflow instead of yielding a DecodeError. Legal messages stay far below (a bounded
 * payload sits at most 4 levels in); anything between is reported precisely by the DTOs.
 */
const MAX_MESSAGE_DEPTH = LIMITS.maxJsonDepth * 2;

function failure(topic: string, code: DecodeErrorCode, reason: string, extra: Partial<DecodeError> = {}): DecodeResult<never> {
  return { ok: false, error: { topic, code, reason, ...extra } };
}

/**
 * Turns bytes taken off `topic` into a validated message of a kind that topic may carry,
 * or says precisely why not. Every consumer of every transport goes through here.
 */
export function decode(topic: string, bytes: Buffer | string | null | undefined): DecodeResult<BusMessage> {
  return decodeAs(topic, bytes, kindsForTopic(topic));
}

/** As `decode`, for a source that is not a registered topic (a goal file, an HTTP body). */
export function decodeAs<K extends MessageKind>(
  source: string,
  bytes: Buffer | string | null | undefined,
  allowed: readonly K[],
): DecodeResult<MessageOfKind<K>> {
  if (bytes === null || bytes === undefined) return failure(source, 'malformed_json', 'empty record value');
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
  if (size > LIMITS.maxMessageBytes) {
    return failure(source, 'oversized', `message is ${size} bytes, the limit is ${LIMITS.maxMessageBytes}`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (error) {
    return failure(source, 'malformed_json', `not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return failure(source, 'not_an_object', 'a message must be a JSON object');
  }

  const plain = parsed as Record<string, unknown>;
  if (!isMessageKind(plain.kind)) {
    return failure(source, 'unknown_kind', `unknown message kind ${JSON.stringify(plain.kind)?.slice(0, 64)}`);
  }
  const kind = plain.kind;
  if (!(allowed as readonly MessageKind[]).includes(kind)) {
    return failure(source, 'wrong_topic', `a ${kind} message does not belong on ${source} (expected ${allowed.join(', ') || 'no agent message'})`);
  }
  if (plain.schemaVersion !== SCHEMA_VERSION) {
    return failure(source, 'unsupported_version', `schemaVersion ${JSON.stringify(plain.schemaVersion)?.slice(0, 32)} is not supported (this consumer reads ${SCHEMA_VERSION})`);
  }

  if (jsonDepthExceeds(plain, MAX_MESSAGE_DEPTH)) {
    return failure(source, 'schema_violation', `message is nested more than ${MAX_MESSAGE_DEPTH} levels deep`);
  }
  let validated: ReturnType<typeof validateMessage>;
  try {
    validated = validateMessage(kind, plain);
  } catch (error) {
    // A decoder must answer every input: a throw here would make a poison record of it.
    return failure(source, 'schema_violation', `message could not be validated: ${(error as Error).message}`.slice(0, 2_000));
  }
  if (!validated.ok) {
    return failure(source, 'schema_violation', describeViolations(validated.violations).slice(0, 2_000), {
      violations: validated.violations,
    });
  }
  return { ok: true, message: validated.message as MessageOfKind<K> };
}
