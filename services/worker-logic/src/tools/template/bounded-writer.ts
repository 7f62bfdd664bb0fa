import { Context, PartialsOrLookupFn, RenderOptions, Writer } from 'mustache';
import { RenderBudget } from './render-budget';

/**
 * A mustache writer that charges every rendered token and every written value to a budget.
 * One per render: its template cache then dies with it instead of growing with every template seen.
 */
export class BoundedWriter extends Writer {
  constructor(private readonly budget: RenderBudget) {
    super();
  }

  override renderTokens(
    tokens: string[][],
    context: Context,
    partials?: PartialsOrLookupFn,
    originalTemplate?: string,
    config?: RenderOptions,
  ): string {
    this.budget.step(tokens.length);
    return super.renderTokens(tokens, context, partials, originalTemplate, config);
  }

  override rawValue(token: string[]): string {
    return this.budget.emit(super.rawValue(token));
  }

  override escapedValue(token: string[], context: Context, config?: RenderOptions): string {
    const value: unknown = super.escapedValue(token, context, config);
    return value === undefined ? '' : this.budget.emit(String(value));
  }

  override unescapedValue(token: string[], context: Context): string {
    const value: unknown = super.unescapedValue(token, context);
    return value === undefined || value === null ? '' : this.budget.emit(String(value));
  }
}
