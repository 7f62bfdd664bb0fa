import { invalidInput } from '@agentos/worker-kit';

export const FILE_ENCODINGS = ['utf8', 'base64'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Longest string that can encode `bytes` bytes: base64 is the wider of the two encodings. */
export function maxEncodedLength(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Content as sent by the caller -> the bytes to write. Strict: Buffer.from silently skips bad base64. */
export function decodeContent(content: string, encoding: FileEncoding): Buffer {
  if (encoding === 'utf8') return Buffer.from(content, 'utf8');
  if (!BASE64.test(content)) throw invalidInput('content is not valid base64 (standard alphabet, padded)');
  return Buffer.from(content, 'base64');
}

/** File bytes -> the string returned to the caller. Refuses to silently mangle non-UTF-8 files. */
export function encodeContent(bytes: Buffer, encoding: FileEncoding, displayPath: string): string {
  if (encoding === 'base64') return bytes.toString('base64');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw invalidInput(`${displayPath} is not valid UTF-8 text; read it with encoding "base64"`);
  }
}
