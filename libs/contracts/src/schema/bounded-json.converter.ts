/**
 * JSON Schema for a property validated by `@IsBoundedJson`: any JSON (or any JSON object).
 * The depth limit cannot be expressed in draft-07, so it is stated in the description;
 * consumers enforce it.
 */
export function boundedJsonSchema(meta: { readonly constraints: readonly unknown[] }): { type?: 'object'; description: string } {
  const [maxDepth, objectOnly] = meta.constraints;
  if (typeof maxDepth !== 'number' || typeof objectOnly !== 'boolean') {
    throw new Error(`isBoundedJson constraints are [maxDepth, objectOnly], got ${JSON.stringify(meta.constraints)}`);
  }
  const depthRule = `nested at most ${maxDepth} levels deep (each object or array is one level); deeper values are rejected by consumers`;
  return objectOnly
    ? { type: 'object', description: `Any JSON object, ${depthRule}.` }
    : { description: `Any JSON value, ${depthRule}.` };
}
