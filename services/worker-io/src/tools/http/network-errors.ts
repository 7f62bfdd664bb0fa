import { logicError, ToolError, transientError } from '@agentos/worker-kit';
import { errorCode } from '../node-error-code';

// Failures of the network or the far side that may well pass on a later attempt.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EAI_FAIL',
  'EAI_NODATA',
  'ESERVFAIL',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);

// The far side is misconfigured: retrying the same request will not help.
const TLS_CODE = /^(?:ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_)/;

/** A request failure as a ToolError, or undefined when it is not one the tool understands. */
export function toolErrorForNetworkFailure(error: unknown, origin: string): ToolError | undefined {
  const code = errorCode(error) ?? '';
  const reason = error instanceof Error ? error.message : String(error);
  if (TRANSIENT_CODES.has(code)) return transientError(`request to ${origin} failed: ${reason}`, error);
  if (TLS_CODE.test(code)) return logicError(`TLS with ${origin} failed: ${reason}`, { code });
  if (code.startsWith('HPE_')) return transientError(`${origin} sent a malformed HTTP response: ${reason}`, error);
  return undefined;
}
