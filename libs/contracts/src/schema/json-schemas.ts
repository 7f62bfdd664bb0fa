import { MESSAGE_KINDS, MessageKind } from '../envelope/message-kind';
import { MESSAGE_DTOS } from '../messages/agent-message';
import { DEFINITIONS_POINTER, dtoSchemas, withNestedDtoClasses } from './dto-schemas';
import { JSON_SCHEMA_DIALECT, JSONSchema, refsIn } from './json-schema';
import { resultStatusRule } from './result-status-rule';
import { AGENT_MESSAGE_KINDS, ENVELOPE_FIELDS, SCHEMA_DOCS, schemaFileName, schemaId, SchemaName } from './schema-catalog';
import { definitionName, tidySchema, withPropertiesFirst } from './tidy-schema';

export type { JSONSchema } from './json-schema';

/** Conditions the DTO metadata cannot express, per kind. */
const EXTRA_RULES: Partial<Record<MessageKind, () => JSONSchema[]>> = { result: resultStatusRule };

function header(name: SchemaName): JSONSchema {
  return { $schema: JSON_SCHEMA_DIALECT, $id: schemaId(name), ...SCHEMA_DOCS[name] };
}

/** The DTO schemas a schema refers to, directly or through each other, by published name. */
function reachableDefinitions(root: JSONSchema, dtos: ReadonlyMap<string, JSONSchema>): Record<string, JSONSchema> {
  const definitions: Record<string, JSONSchema> = {};
  const pending = refsIn(root);
  for (let ref = pending.shift(); ref !== undefined; ref = pending.shift()) {
    if (!ref.startsWith(DEFINITIONS_POINTER)) continue;
    const className = ref.slice(DEFINITIONS_POINTER.length);
    const name = definitionName(className);
    if (definitions[name]) continue;
    const schema = dtos.get(className);
    if (!schema) throw new Error(`schema refers to ${className}, which is not a DTO reachable from the messages`);
    definitions[name] = tidySchema(schema);
    pending.push(...refsIn(schema));
  }
  return Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
}

function messageSchema(kind: MessageKind, dtos: ReadonlyMap<string, JSONSchema>): JSONSchema {
  const generated = dtos.get(MESSAGE_DTOS[kind].name);
  if (!generated) throw new Error(`no schema generated for ${MESSAGE_DTOS[kind].name}`);
  const { type, properties, required, additionalProperties } = withPropertiesFirst(tidySchema(generated), ENVELOPE_FIELDS);
  const extraRules = EXTRA_RULES[kind]?.();
  const definitions = reachableDefinitions(generated, dtos);
  return {
    ...header(kind),
    type,
    properties,
    required,
    additionalProperties,
    ...(extraRules ? { allOf: extraRules } : {}),
    ...(Object.keys(definitions).length > 0 ? { definitions } : {}),
  };
}

/** A union of message schemas; `kind` tells the branches apart, so exactly one matches. */
function unionSchema(name: SchemaName, kinds: readonly MessageKind[]): JSONSchema {
  return {
    ...header(name),
    type: 'object',
    properties: { kind: { type: 'string', enum: [...kinds] } },
    required: ['kind'],
    additionalProperties: true,
    oneOf: kinds.map((kind) => ({ $ref: schemaFileName(kind) })),
  };
}

/**
 * Draft-07 JSON Schemas of every message, derived from the class-validator DTOs, keyed by
 * schema name (`task`, `agent-message`, ...). Published for producers in other languages;
 * consumers in this repo validate with the DTOs themselves (`decode`).
 */
export function buildJsonSchemas(): Record<SchemaName, JSONSchema> {
  const dtos = dtoSchemas(withNestedDtoClasses(Object.values(MESSAGE_DTOS)));
  const perKind = Object.fromEntries(MESSAGE_KINDS.map((kind) => [kind, messageSchema(kind, dtos)])) as Record<MessageKind, JSONSchema>;
  return {
    ...perKind,
    'agent-message': unionSchema('agent-message', AGENT_MESSAGE_KINDS),
    'bus-message': unionSchema('bus-message', MESSAGE_KINDS),
  };
}
