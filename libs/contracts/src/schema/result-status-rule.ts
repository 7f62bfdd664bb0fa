import { FailedResult, ResultStatus, SucceededResult } from '../messages/result.message';
import { JSONSchema } from './json-schema';

function whenStatus(status: ResultStatus, requiredField: keyof SucceededResult | keyof FailedResult): JSONSchema {
  return {
    if: { properties: { status: { const: status } }, required: ['status'] },
    then: { required: [requiredField] },
  };
}

/**
 * ResultMessageDto's two `@ValidateIf`s, which class-validator-jsonschema can only render as
 * "optional": a succeeded result requires `output`, a failed one requires `error`.
 */
export function resultStatusRule(): JSONSchema[] {
  return [whenStatus('succeeded', 'output'), whenStatus('failed', 'error')];
}
