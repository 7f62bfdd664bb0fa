/**
 * Turns texts into unit-length vectors. Vectors of one embedder compare by dot product
 * (cosine); vectors of different `model`s never compare.
 */
export interface Embedder {
  /**
   * Names the vector space: stored as `RunMemory.embeddingModel`. Two embedders with the same
   * name produce comparable vectors (same model, same dimensions).
   */
  readonly model: string;
  /** Length of every vector this embedder returns. */
  readonly dimensions: number;
  /** One unit-length vector per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
