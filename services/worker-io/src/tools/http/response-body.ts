import type { IncomingMessage } from 'node:http';

export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`response body is larger than ${limitBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/**
 * Reads a response body, stopping as soon as it passes `limitBytes`: the rest is never
 * read (leaving the loop destroys the stream and its socket). `overflow: 'truncate'`
 * returns the first `limitBytes` instead of failing (for error previews).
 */
export async function readBody(response: IncomingMessage, limitBytes: number, overflow: 'fail' | 'truncate'): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (overflow === 'fail' && Number.isFinite(declared) && declared > limitBytes) {
    response.destroy();
    throw new ResponseTooLargeError(limitBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (total + chunk.length > limitBytes) {
      if (overflow === 'fail') throw new ResponseTooLargeError(limitBytes);
      chunks.push(chunk.subarray(0, limitBytes - total));
      total = limitBytes;
      break;
    }
    chunks.push(chunk);
    total += chunk.length;
  }
  return Buffer.concat(chunks, total);
}
