import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * class-validator, compiled: the same decorators and the same constraint functions, with the
 * per-call work class-validator repeats on every `validateSync` (looking up and grouping
 * metadata, building error objects for every property) done once per class. Answers only
 * valid or not; callers ask class-validator itself to describe what is wrong. A differential
 * test (compiled-validator.spec.ts) holds the two to the same verdict.
 *
 * Mirrors `validateSync(instance, { forbidUnknownValues: true })`, and with
 * `forbidUnknownProperties`, `{ whitelist: true, forbidNonWhitelisted: true }`.
 */
export type InstanceValidator = (instance: unknown) => boolean;

interface ConstraintCheck {
  readonly metadata: ValidationMetadata;
  readonly validators: ReadonlyArray<(value: unknown, args: ValidationArguments) => unknown>;
}

interface PropertyPlan {
  readonly name: string;
  readonly conditions: ReadonlyArray<(object: object, value: unknown) => boolean>;
  readonly defined: readonly ConstraintCheck[];
  readonly constraints: readonly ConstraintCheck[];
  readonly nested: boolean;
}

interface ClassPlan {
  readonly known: ReadonlySet<string>;
  readonly properties: readonly PropertyPlan[];
}

type Constructor = abstract new (...args: never[]) => unknown;

const plans = new WeakMap<Constructor, ClassPlan | null>();

function planFor(target: Constructor): ClassPlan | null {
  let plan = plans.get(target);
  if (plan === undefined) {
    plan = buildPlan(target);
    plans.set(target, plan);
  }
  return plan;
}

function buildPlan(target: Constructor): ClassPlan | null {
  const storage = getMetadataStorage();
  // Exactly what validateSync(instance) looks up: no schema name, no groups, `always` off.
  const metadatas = storage.getTargetValidationMetadatas(target as Parameters<typeof storage.getTargetValidationMetadatas>[0], undefined as unknown as string, false, false);
  if (metadatas.length === 0) return null;
  const grouped = storage.groupByPropertyName(metadatas);
  const check = (metadata: ValidationMetadata): ConstraintCheck => ({
    metadata,
    validators: storage
      .getTargetValidatorConstraints(metadata.constraintCls)
      .map((constraint) => (value: unknown, args: ValidationArguments) => constraint.instance.validate(value, args)),
  });
  const properties = Object.keys(grouped).map((name): PropertyPlan => {
    const all = grouped[name]!;
    const of = (type: string) => all.filter((metadata) => metadata.type === type);
    return {
      name,
      conditions: of(ValidationTypes.CONDITIONAL_VALIDATION).map((metadata) => metadata.constraints[0] as (object: object, value: unknown) => boolean),
      defined: of(ValidationTypes.IS_DEFINED).map(check),
      constraints: of(ValidationTypes.CUSTOM_VALIDATION).map(check),
      nested: of(ValidationTypes.NESTED_VALIDATION).length > 0,
    };
  });
  return { known: new Set(Object.keys(grouped)), properties };
}

function passes(check: ConstraintCheck, object: object, property: string, value: unknown): boolean {
  const { metadata } = check;
  if (metadata.validateIf && !metadata.validateIf(object, value)) return true;
  const args: ValidationArguments = {
    targetName: object.constructor ? object.constructor.name : '',
    property,
    object,
    value,
    constraints: metadata.constraints,
  };
  for (const validate of check.validators) {
    // `every` skips holes of sparse arrays, as class-validator's `map` does (JSON has none).
    if (metadata.each && Array.isArray(value)) {
      if (!value.every((item) => validate(item, args))) return false;
    } else if (!validate(value, args)) {
      return false;
    }
  }
  return true;
}

function validateObject(object: object, forbidUnknownProperties: boolean): boolean {
  const target: unknown = object.constructor;
  if (typeof target !== 'function') return false; // class-validator finds no rules for it either
  const plan = planFor(target as Constructor);
  if (!plan) return false; // forbidUnknownValues: an object of a class with no rules
  if (forbidUnknownProperties) {
    for (const key of Object.keys(object)) if (!plan.known.has(key)) return false;
  }
  for (const property of plan.properties) {
    const value = (object as Record<string, unknown>)[property.name];
    let applies = true;
    for (const condition of property.conditions) if (!condition(object, value)) applies = false;
    if (!applies) continue;
    for (const check of property.defined) if (!passes(check, object, property.name, value)) return false;
    for (const check of property.constraints) if (!passes(check, object, property.name, value)) return false;
    if (property.nested && value !== undefined && !validateNested(value, forbidUnknownProperties)) return false;
  }
  return true;
}

function validateNested(value: unknown, forbidUnknownProperties: boolean): boolean {
  if (Array.isArray(value)) {
    return value.every((item) => item === undefined || (item instanceof Object && validateObject(item, forbidUnknownProperties)));
  }
  return value instanceof Object && validateObject(value, forbidUnknownProperties);
}

/** A validator for instances of `target` (as built by plainToDto). */
export function compileValidator(target: Constructor, options: { forbidUnknownProperties?: boolean } = {}): InstanceValidator {
  planFor(target);
  const forbidUnknownProperties = options.forbidUnknownProperties ?? false;
  return (instance) => instance instanceof Object && validateObject(instance, forbidUnknownProperties);
}
