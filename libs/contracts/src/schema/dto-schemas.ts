import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { isJsonObject } from '../json/json-value';
import { boundedJsonSchema } from './bounded-json.converter';
import { JSONSchema } from './json-schema';

/** A DTO class, typed as class-validator and class-transformer type it (their APIs take `Function`). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type DtoClass = Function;

/** Where class-validator-jsonschema points nested DTOs: `#/definitions/<ClassName>`. */
export const DEFINITIONS_POINTER = '#/definitions/';

const CONVERTER_OPTIONS: NonNullable<Parameters<typeof targetConstructorToSchema>[1]> = {
  // Resolves `@Type(() => X)`, so arrays of DTOs point at X rather than at `Array`.
  classTransformerMetadataStorage: defaultMetadataStorage,
  refPointerPrefix: DEFINITIONS_POINTER,
  additionalConverters: { isBoundedJson: boundedJsonSchema, isTimestamp: () => ({ type: 'string', format: 'date-time' }) },
};

/** The given DTO classes and every class they nest through `@ValidateNested` + `@Type`, roots first. */
export function withNestedDtoClasses(roots: readonly DtoClass[]): DtoClass[] {
  const found = new Set<DtoClass>();
  const pending = [...roots];
  for (let dto = pending.shift(); dto; dto = pending.shift()) {
    if (found.has(dto)) continue;
    found.add(dto);
    for (const meta of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
      if (meta.type !== ValidationTypes.NESTED_VALIDATION) continue;
      const typeMeta = defaultMetadataStorage.findTypeMetadata(dto, meta.propertyName);
      if (!typeMeta) throw new Error(`${dto.name}.${meta.propertyName} is @ValidateNested without @Type(() => Dto)`);
      pending.push(typeMeta.typeFunction());
    }
  }
  return [...found];
}

/** The JSON Schema class-validator-jsonschema derives for each DTO (inherited fields included), by class name. */
export function dtoSchemas(dtos: readonly DtoClass[]): Map<string, JSONSchema> {
  const schemas = new Map<string, JSONSchema>();
  for (const dto of dtos) {
    if (schemas.has(dto.name)) throw new Error(`two DTO classes are named ${dto.name}`);
    // A JSON round trip drops the `undefined`s some converters leave behind.
    const schema: unknown = JSON.parse(JSON.stringify(targetConstructorToSchema(dto, CONVERTER_OPTIONS)));
    if (!isJsonObject(schema) || !isJsonObject(schema.properties)) throw new Error(`no validation metadata on ${dto.name}`);
    schemas.set(dto.name, schema);
  }
  return schemas;
}
