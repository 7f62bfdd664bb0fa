/**
 * The local embedder's hash: 32-bit FNV-1a over UTF-16 code units, finished with murmur3's
 * `fmix32` so that every output bit depends on every input bit (FNV-1a alone spreads its low
 * bits poorly, and buckets come from a modulo). Pure integer arithmetic: the same value on
 * every machine and Node version.
 */
export const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Feeds one code unit (or any 16-bit tag) into a running FNV-1a hash. */
export function fnv1aUnit(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, FNV_PRIME) >>> 0;
}

/** Feeds `text[start..end)` into a running FNV-1a hash. */
export function fnv1a(hash: number, text: string, start = 0, end = text.length): number {
  let h = hash;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: a bijection with full avalanche. */
export function fmix32(hash: number): number {
  let h = hash >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
