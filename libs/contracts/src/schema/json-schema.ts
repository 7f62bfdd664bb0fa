import { isJsonObject, JsonObject, JsonValue } from '../json/json-value';

/** A JSON Schema, or one of its sub-schemas, as the plain JSON it is published as. */
export type JSONSchema = JsonObject;

export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/** Rebuilds a schema bottom-up, letting `visit` rewrite every object node (sub-schemas and keyword maps alike). */
export function rewriteSchema(schema: JSONSchema, visit: (node: JsonObject) => JsonObject): JSONSchema {
  const rewrite = (value: JsonValue): JsonValue => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!isJsonObject(value)) return value;
    const rebuilt: JsonObject = {};
    for (const [key, child] of Object.entries(value)) rebuilt[key] = rewrite(child);
    return visit(rebuilt);
  };
  return rewrite(schema) as JSONSchema;
}

/** Every `$ref` string in a schema, in document order. */
export function refsIn(schema: JsonValue, into: string[] = []): string[] {
  if (Array.isArray(schema)) {
    for (const item of schema) refsIn(item, into);
  } else if (isJsonObject(schema)) {
    for (const [key, child] of Object.entries(schema)) {
      if (key === '$ref' && typeof child === 'string') into.push(child);
      else refsIn(child, into);
    }
  }
  return into;
}
