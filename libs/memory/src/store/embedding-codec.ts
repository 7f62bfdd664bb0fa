import { endianness } from 'node:os';
import { MemoryStoreError } from './memory-store-error';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/**
 * An embedding as stored: its float32 values little-endian, 4 bytes each. Copies bytes rather
 * than numbers, so every value (NaN payloads and -0 included) comes back bit for bit.
 */
export function encodeEmbedding(embedding: Float32Array): Buffer {
  const bytes = Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength);
  const copy = Buffer.from(bytes);
  return LITTLE_ENDIAN_HOST ? copy : copy.swap32();
}

/** The inverse of `encodeEmbedding`; the bytes may sit at any offset of any buffer. */
export function decodeEmbedding(bytes: Uint8Array, goalId: string): Float32Array {
  if (bytes.byteLength % Float32Array.BYTES_PER_ELEMENT !== 0) {
    throw new MemoryStoreError('memory_failed', `stored embedding of goal ${goalId} has ${bytes.byteLength} bytes, not a multiple of 4`, { goalId });
  }
  // A fresh, aligned buffer: the driver's may be a slice of a pooled one at an odd offset.
  const aligned = Buffer.alloc(bytes.byteLength);
  aligned.set(bytes);
  if (!LITTLE_ENDIAN_HOST) aligned.swap32();
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / Float32Array.BYTES_PER_ELEMENT);
}
