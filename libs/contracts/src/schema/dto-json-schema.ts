import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { isJsonObject } from '../json/json-value';
import { boundedJsonSchema } from './bounded-json.converter';
import { DEFINITIONS_POINTER, DtoClass, withNestedDtoClasses } from './dto-schemas';
import { JSON_SCHEMA_DIALECT, JSONSchema } from './json-schema';
import { definitionName, tidySchema } from './tidy-schema';

export type { JSONSchema } from './json-schema';

type ConverterOptions = NonNullable<Parameters<typeof targetConstructorToSchema>[1]>;
type Converters = NonNullable<ConverterOptions['additionalConverters']>;
/** What class-validator-jsonschema hands a converter: one decorator's metadata. */
type RuleMetadata = Parameters<Extract<Converters[string], (...args: never[]) => unknown>>[0];

export interface DtoJsonSchemaOptions {
  /**
   * Whether the DTOs' own objects accept fields they do not declare. Tool inputs reject them
   * (a misspelt parameter fails loudly), so their schemas say so; messages and outputs allow them.
   */
  readonly unknownFields?: 'reject' | 'allow';
}

/** class-validator's key for validators without a converter of their own (custom decorators). */
const CUSTOM_VALIDATION = 'customValidation';

function designTypeSchema(meta: RuleMetadata): JSONSchema {
  const type: unknown = Reflect.getMetadata('design:type', (meta.target as DtoClass).prototype as object, meta.propertyName);
  if (type === String) return { type: 'string' };
  if (type === Number) return { type: 'number' };
  if (type === Boolean) return { type: 'boolean' };
  if (type === Array) return { type: 'array' };
  return {};
}

/** The rule's own error message, made into a sentence about the value, or its name. */
function ruleDescription(meta: RuleMetadata): string {
  const constraints: readonly unknown[] = meta.constraints ?? [];
  if (typeof meta.message !== 'string') return `Checked by the rule "${meta.type}".`;
  const text = meta.message
    .replace(/^\$property\s+/, '')
    .replace(/\$property/g, 'the value')
    .replace(/\$constraint(\d)/g, (_match, index: string) => JSON.stringify(constraints[Number(index) - 1]) ?? '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

/** One class's schema; rules nobody can translate become the property's type plus their description. */
function classSchema(dto: DtoClass): JSONSchema {
  const descriptions = new Map<string, string[]>();
  const describeUnknownRule = (meta: RuleMetadata): JSONSchema => {
    descriptions.set(meta.propertyName, [...(descriptions.get(meta.propertyName) ?? []), ruleDescription(meta)]);
    return designTypeSchema(meta);
  };
  const options: ConverterOptions = {
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: DEFINITIONS_POINTER,
    additionalConverters: {
      isBoundedJson: boundedJsonSchema,
      isTimestamp: () => ({ type: 'string', format: 'date-time' }),
      // Without this, a custom rule on an object-typed field becomes a `$ref` to a class named `Object`.
      [CUSTOM_VALIDATION]: describeUnknownRule,
    },
  };
  // A JSON round trip drops the `undefined`s some converters leave behind.
  const generated: unknown = JSON.parse(JSON.stringify(targetConstructorToSchema(dto, options)));
  const schema: JSONSchema = isJsonObject(generated) ? generated : {};
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  for (const [name, notes] of descriptions) {
    const property = properties[name];
    if (isJsonObject(property)) property.description = [property.description, ...notes].filter((note) => typeof note === 'string').join(' ');
  }
  return { ...schema, type: 'object', properties };
}

/**
 * The draft-07 JSON Schema of any class-validator DTO class (a tool's input or output, a
 * message), nested DTOs included as `definitions`. Custom rules the generator cannot translate
 * yield a permissive schema for the field, described by the rule's message; never a throw.
 */
export function dtoJsonSchema(dto: DtoClass, options: DtoJsonSchemaOptions = {}): JSONSchema {
  const additionalProperties = options.unknownFields === 'reject' ? false : true;
  const [root, ...nested] = withNestedDtoClasses([dto]);
  const definitions: Record<string, JSONSchema> = {};
  const seen = new Map<string, DtoClass>();
  for (const child of nested) {
    const owner = seen.get(child.name);
    if (owner && owner !== child) throw new Error(`${dto.name} nests two different DTO classes named ${child.name}`);
    seen.set(child.name, child);
    definitions[definitionName(child.name)] = tidySchema({ ...classSchema(child), additionalProperties });
  }
  const schema = tidySchema({ ...classSchema(root!), additionalProperties });
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: definitionName(dto.name),
    ...schema,
    ...(nested.length > 0 ? { definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))) } : {}),
  };
}
