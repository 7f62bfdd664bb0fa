/**
 * Scales `vector` in place to length 1 and returns it. Throws a RangeError for a vector that has
 * a non-finite component or no length: neither has a direction to compare.
 */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  let sumOfSquares = 0;
  for (let i = 0; i < vector.length; i++) sumOfSquares += vector[i] * vector[i];
  if (!Number.isFinite(sumOfSquares)) throw new RangeError('the vector has a non-finite component');
  if (sumOfSquares === 0) throw new RangeError('the vector has length 0');
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let i = 0; i < vector.length; i++) vector[i] *= scale;
  return vector;
}

/** A unit-length Float32Array copy of `values` (see `normalizeInPlace` for what it refuses). */
export function unitVector(values: ArrayLike<number>): Float32Array {
  return normalizeInPlace(Float32Array.from(values));
}
