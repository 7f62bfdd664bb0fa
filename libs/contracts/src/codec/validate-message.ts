import { validateSync } from 'class-validator';
import { MessageKind } from '../envelope/message-kind';
import { MESSAGE_DTOS, MessageOfKind } from '../messages/agent-message';
import { compileValidator, InstanceValidator } from './compiled-validator';
import { Violation } from './decode-error';
import { plainToDto } from './plain-to-dto';
import { toViolations } from './violations';

const VALIDATOR_OPTIONS = {
  // Unknown fields are ignored, never rejected: additive schema changes must not break old consumers.
  whitelist: false,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

const compiled = new Map<MessageKind, InstanceValidator>();

function fastValidator(kind: MessageKind): InstanceValidator {
  let validator = compiled.get(kind);
  if (!validator) {
    validator = compileValidator(MESSAGE_DTOS[kind]);
    compiled.set(kind, validator);
  }
  return validator;
}

/**
 * Validates a parsed object against the DTO of its kind. Returns the message (as the plain
 * object it was, so it re-encodes byte-for-byte the same) or the violations.
 */
export function validateMessage<K extends MessageKind>(
  kind: K,
  plain: Record<string, unknown>,
): { ok: true; message: MessageOfKind<K> } | { ok: false; violations: Violation[] } {
  const instance = plainToDto(MESSAGE_DTOS[kind] as new () => object, plain) as object;
  // The compiled validator decides the common case; class-validator itself explains a rejection.
  if (!fastValidator(kind)(instance)) {
    const errors = validateSync(instance, VALIDATOR_OPTIONS);
    if (errors.length > 0) return { ok: false, violations: toViolations(errors) };
  }
  return { ok: true, message: plain as unknown as MessageOfKind<K> };
}
