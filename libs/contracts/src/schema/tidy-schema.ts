import { isJsonObject, JsonObject } from '../json/json-value';
import { DEFINITIONS_POINTER } from './dto-schemas';
import { JSONSchema, rewriteSchema } from './json-schema';

/** Publishers need not know our class naming: `TaskNodeDto` is published as `TaskNode`. */
export function definitionName(className: string): string {
  return className.replace(/Dto$/, '');
}

/** Keywords a `$ref` to a DTO definition already implies (every definition is a non-null object). */
function isImpliedByDtoRef(key: string, value: JsonObject[string]): boolean {
  if (key === 'type') return value === 'object';
  if (key === 'not') return isJsonObject(value) && value.type === 'null' && Object.keys(value).length === 1;
  return false;
}

function tidyNode(node: JsonObject): JsonObject {
  let tidy = node;
  if (typeof tidy.$ref === 'string') {
    // Draft-07 ignores every keyword beside `$ref`: drop the implied ones, keep any other under allOf.
    const $ref = tidy.$ref.startsWith(DEFINITIONS_POINTER)
      ? DEFINITIONS_POINTER + definitionName(tidy.$ref.slice(DEFINITIONS_POINTER.length))
      : tidy.$ref;
    const siblings = Object.entries(tidy).filter(([key, value]) => key !== '$ref' && !isImpliedByDtoRef(key, value));
    tidy = siblings.length === 0 ? { $ref } : { allOf: [{ $ref }], ...Object.fromEntries(siblings) };
  }
  if (typeof tidy.type === 'string') {
    // `type` first reads better; lodash.merge leaves it wherever the last converter put it.
    // (A string: in a `properties` map, `type` would be a field's schema, an object.)
    const { type, ...rest } = tidy;
    tidy = { type, ...rest };
  }
  if (tidy.type === 'object' && tidy.additionalProperties === undefined) {
    // Consumers ignore unknown fields: additive changes within a version must not break anyone.
    tidy = { ...tidy, additionalProperties: true };
  }
  return tidy;
}

/** Makes a generated schema publishable: published definition names, draft-07-safe `$ref`s, open objects. */
export function tidySchema(schema: JSONSchema): JSONSchema {
  return rewriteSchema(schema, tidyNode);
}

/** The schema with the named properties first, in that order (and `required` likewise). */
export function withPropertiesFirst(schema: JSONSchema, leading: readonly string[]): JSONSchema {
  const rank = (name: string) => (leading.includes(name) ? leading.indexOf(name) : leading.length);
  const byRank = (a: string, b: string) => rank(a) - rank(b);
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const ordered = Object.keys(properties).sort(byRank);
  const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : [];
  return {
    ...schema,
    properties: Object.fromEntries(ordered.map((name) => [name, properties[name]])),
    required: [...required].sort(byRank),
  };
}
