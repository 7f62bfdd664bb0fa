/** Why bytes taken off a bus are not a usable message. Goes into the DLQ record's headers. */
export const DECODE_ERROR_CODES = [
  'oversized',
  'malformed_json',
  'not_an_object',
  'unknown_kind',
  'wrong_topic',
  'unsupported_version',
  'schema_violation',
] as const;
export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[number];

export interface Violation {
  /** Dotted path of the offending property (`plan.tasks.3.tool`). */
  readonly path: string;
  /** The constraints it broke, each with a readable message. */
  readonly constraints: Readonly<Record<string, string>>;
}

export interface DecodeError {
  readonly code: DecodeErrorCode;
  readonly reason: string;
  readonly topic: string;
  readonly violations?: readonly Violation[];
}

export type DecodeResult<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: DecodeError };
