import { registerDecorator, ValidationOptions } from 'class-validator';
import { LIMITS } from '../limits';

/**
 * Whether a parsed JSON value nests deeper than `limit` (a scalar is depth 0, `{}` and `[]`
 * depth 1). Iterative, so safe on hostile input.
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * An open-ended JSON payload (task input, output, event data): any JSON, but an object
 * where `objectOnly`, and never nested deeper than the wire limit.
 */
export function IsBoundedJson(
  options: { objectOnly?: boolean } = {},
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isBoundedJson',
      target: target.constructor,
      propertyName: propertyName as string,
      // [maxDepth, objectOnly]: read back by the JSON Schema generator.
      constraints: [LIMITS.maxJsonDepth, options.objectOnly === true],
      options: {
        message: options.objectOnly
          ? `$property must be a JSON object nested at most ${LIMITS.maxJsonDepth} deep`
          : `$property must be JSON nested at most ${LIMITS.maxJsonDepth} deep`,
        ...validationOptions,
      },
      validator: {
        validate(value: unknown): boolean {
          if (value === undefined) return false;
          if (options.objectOnly && (typeof value !== 'object' || value === null || Array.isArray(value))) {
            return false;
          }
          return !jsonDepthExceeds(value, LIMITS.maxJsonDepth);
        },
      },
    });
  };
}
