import { getMetadataStorage } from 'class-validator';

/** A configuration class as `loadConfig` takes it. */
export type ConfigClass = new () => object;

/**
 * The variables a configuration class reads: every property class-validator validates on it
 * (inherited ones included, whatever their groups), which is every field `loadConfig` fills.
 */
export function configKeys(schema: ConfigClass): ReadonlySet<string> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return new Set(metadata.map((entry) => entry.propertyName));
}

/** The variables of `env` that none of `schemas` reads and `isStandard` does not accept either, sorted. */
export function unknownVariables(
  env: Readonly<Record<string, string>>,
  schemas: readonly ConfigClass[],
  isStandard: (name: string) => boolean,
): string[] {
  const known = new Set(schemas.flatMap((schema) => [...configKeys(schema)]));
  return Object.keys(env)
    .filter((name) => !known.has(name) && !isStandard(name))
    .sort();
}
