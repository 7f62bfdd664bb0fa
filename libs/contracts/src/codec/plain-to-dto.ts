import { defaultMetadataStorage } from 'class-transformer/cjs/storage';

type DtoConstructor = new () => object;

function assignOwn(target: object, key: string, value: unknown): void {
  if (key === '__proto__') {
    // Plain assignment would replace the prototype: a JSON `__proto__` key must stay data.
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    // DTO prototypes hold no accessors (fields are not defined on them), so this only ever creates data.
    (target as Record<string, unknown>)[key] = value;
  }
}

function nestedType(dto: DtoConstructor, key: string): DtoConstructor | undefined {
  const metadata = defaultMetadataStorage.findTypeMetadata(dto, key);
  return metadata?.typeFunction() as DtoConstructor | undefined;
}

/**
 * Turns parsed JSON into an instance of a DTO class for class-validator, instantiating only
 * the nested DTOs the class declares with `@Type`. Open JSON fields (task inputs, outputs)
 * are left exactly as parsed: class-transformer's generic recursion crashes on a
 * `constructor` key, drops `__proto__` keys and costs time on large payloads.
 */
export function plainToDto<T extends object>(dto: new () => T, plain: unknown): T | unknown {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return plain;
  const instance = Object.create(dto.prototype) as T;
  const source = plain as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    // A `constructor` key would shadow the DTO's class, and class-validator looks rules up by
    // `instance.constructor` (a null there crashes it). No DTO has such a field; the message
    // itself keeps the key, only the instance used for validation goes without it.
    if (key === 'constructor') continue;
    const value = source[key];
    const nested = nestedType(dto, key);
    if (!nested) {
      assignOwn(instance, key, value);
    } else if (Array.isArray(value)) {
      assignOwn(instance, key, value.map((item) => plainToDto(nested, item)));
    } else {
      assignOwn(instance, key, plainToDto(nested, value));
    }
  }
  return instance;
}
