import { Context } from 'mustache';

const MISSING = Symbol('missing');

/**
 * A mustache context that resolves names through the data's own properties only. Stock
 * mustache uses `in`, so `{{constructor}}` or `{{a.constructor.name}}` reach into
 * prototypes (and call what they find there).
 */
export class OwnPropertyContext extends Context {
  override push(view: unknown): Context {
    return new OwnPropertyContext(view, this);
  }

  override lookup(name: string): unknown {
    if (name === '.') return this.view;
    const value = resolveOwnPath(this.view, name.split('.'));
    // Not found here: the enclosing section's data, up to the root (all OwnPropertyContexts, see push).
    return value === MISSING ? this.parent?.lookup(name) : value;
  }
}

function resolveOwnPath(view: unknown, path: readonly string[]): unknown {
  let current = view;
  for (const key of path) {
    // Like mustache, only a dotted name may step into a string (`{{name.length}}`).
    const canHoldKey = (typeof current === 'object' && current !== null) || (typeof current === 'string' && path.length > 1);
    if (!canHoldKey || !Object.prototype.hasOwnProperty.call(current, key)) return MISSING;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
