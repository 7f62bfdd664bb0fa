import { decodeEmbedding, encodeEmbedding } from './embedding-codec';
import { MemoryStoreError } from './memory-store-error';

describe('embedding codec', () => {
  it('stores float32 values little-endian, 4 bytes each', () => {
    expect([...encodeEmbedding(Float32Array.of(1, -2))]).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
  });

  it('round-trips every bit, NaN payloads and -0 included, from any offset', () => {
    const bits = Uint32Array.of(0x7fc00001, 0xffffffff, 0x80000000, 0x00000001, 0x7f7fffff, 0x3eaaaaab);
    const values = new Float32Array(bits.buffer);
    const stored = encodeEmbedding(values);
    // Drivers hand back slices of larger buffers at odd offsets.
    const shifted = Buffer.concat([Buffer.from([9]), stored]).subarray(1);
    const decoded = decodeEmbedding(shifted, 'goal-1');
    expect([...new Uint32Array(decoded.buffer, decoded.byteOffset, decoded.length)]).toEqual([...bits]);
  });

  it('encodes a view of a larger buffer, not the whole buffer', () => {
    const whole = Float32Array.of(1, 2, 3, 4);
    expect([...decodeEmbedding(encodeEmbedding(whole.subarray(1, 3)), 'goal-1')]).toEqual([2, 3]);
  });

  it('refuses stored bytes that are not whole float32 values', () => {
    expect(() => decodeEmbedding(Buffer.alloc(6), 'goal-1')).toThrow(MemoryStoreError);
    expect(() => decodeEmbedding(Buffer.alloc(6), 'goal-1')).toThrow(/goal-1 has 6 bytes/);
  });
});
