import { validateSync } from 'class-validator';
import { MessageKind } from '../envelope/message-kind';
import { MESSAGE_DTOS, MessageOfKind } from '../messages/agent-message';
import { Violation } from './decode-error';
import { plainToDto } from './plain-to-dto';
import { toViolations } from './violations';

const VALIDATOR_OPTIONS = {
  // Unknown fields are ignored, never rejected: additive schema changes must not break old consumers.
  whitelist: false,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/**
 * Validates a parsed object against the DTO of its kind. Returns the message (as the plain
 * object it was, so it re-encodes byte-for-byte the same) or the violations.
 */
export function validateMessage<K extends MessageKind>(
  kind: K,
  plain: Record<string, unknown>,
): { ok: true; message: MessageOfKind<K> } | { ok: false; violations: Violation[] } {
  const instance = plainToDto(MESSAGE_DTOS[kind] as new () => object, plain) as object;
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) return { ok: false, violations: toViolations(errors) };
  return { ok: true, message: plain as unknown as MessageOfKind<K> };
}
