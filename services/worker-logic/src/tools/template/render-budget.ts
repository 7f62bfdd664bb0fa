import { logicError } from '@agentos/worker-kit';

export interface RenderLimits {
  /** Tokens rendered, counting each section pass: bounds nested sections over long lists. */
  readonly maxRenderSteps: number;
  /** UTF-16 units written; never more than the UTF-8 bytes, so stopping here is always right. */
  readonly maxOutputChars: number;
}

/** Counts rendering work and output as it happens, so a runaway template stops early. */
export class RenderBudget {
  private steps = 0;
  private chars = 0;

  constructor(private readonly limits: RenderLimits) {}

  step(tokens: number): void {
    this.steps += 1 + tokens;
    if (this.steps > this.limits.maxRenderSteps) {
      throw logicError(`template rendering exceeded ${this.limits.maxRenderSteps} steps (nested sections over long lists?)`, {
        maxRenderSteps: this.limits.maxRenderSteps,
      });
    }
  }

  emit(text: string): string {
    this.chars += text.length;
    if (this.chars > this.limits.maxOutputChars) {
      throw logicError(`template output exceeded ${this.limits.maxOutputChars} bytes`, { maxBytes: this.limits.maxOutputChars });
    }
    return text;
  }
}
