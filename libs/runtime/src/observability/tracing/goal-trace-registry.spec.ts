import { Span, SpanContext, TraceFlags } from '@opentelemetry/api';
import { GoalTraceRegistry } from './goal-trace-registry';

const contextOf = (n: number): SpanContext => ({
  traceId: n.toString(16).padStart(32, '0'),
  spanId: n.toString(16).padStart(16, '0'),
  traceFlags: TraceFlags.SAMPLED,
});

/** Just what the registry does with a root span: a test double of one class's collaborator. */
function rootSpan(): Span & { ended: boolean; attributes: Record<string, unknown> } {
  const span = {
    ended: false,
    attributes: {} as Record<string, unknown>,
    end() {
      span.ended = true;
    },
    setAttribute(key: string, value: unknown) {
      span.attributes[key] = value;
      return span;
    },
  };
  return span as unknown as Span & { ended: boolean; attributes: Record<string, unknown> };
}

describe('GoalTraceRegistry', () => {
  it('remembers a goal until its end, and ends the root span it owns then', () => {
    const registry = new GoalTraceRegistry();
    const root = rootSpan();
    expect(registry.remember('g1', contextOf(1), root)).toBe(true);
    expect(registry.spanContextOf('g1')).toEqual(contextOf(1));
    expect(root.ended).toBe(false);

    registry.forget('g1');
    expect(registry.spanContextOf('g1')).toBeUndefined();
    expect(registry.has('g1')).toBe(false);
    expect(root.ended).toBe(true);
    expect(root.attributes).toEqual({});
  });

  it('keeps the first trace of a goal delivered again', () => {
    const registry = new GoalTraceRegistry();
    registry.remember('g1', contextOf(1));
    expect(registry.remember('g1', contextOf(2))).toBe(false);
    expect(registry.spanContextOf('g1')).toEqual(contextOf(1));
  });

  it('ignores forgetting a goal it never knew', () => {
    const registry = new GoalTraceRegistry();
    registry.forget('unknown');
    expect(registry.size).toBe(0);
  });

  it('forgets the oldest goal beyond its capacity, ending its root span as unfinished', () => {
    const registry = new GoalTraceRegistry(2);
    const oldest = rootSpan();
    registry.remember('g1', contextOf(1), oldest);
    registry.remember('g2', contextOf(2));
    registry.remember('g3', contextOf(3));

    expect(registry.size).toBe(2);
    expect(registry.has('g1')).toBe(false);
    expect(registry.has('g2') && registry.has('g3')).toBe(true);
    expect(oldest.ended).toBe(true);
    expect(oldest.attributes['agentos.goal.unfinished']).toBe(true);
  });

  it('ends every open root span when cleared', () => {
    const registry = new GoalTraceRegistry();
    const roots = [rootSpan(), rootSpan()];
    registry.remember('g1', contextOf(1), roots[0]);
    registry.remember('g2', contextOf(2), roots[1]);
    registry.clear();
    expect(registry.size).toBe(0);
    expect(roots.every((root) => root.ended && root.attributes['agentos.goal.unfinished'] === true)).toBe(true);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new GoalTraceRegistry(0)).toThrow(RangeError);
    expect(() => new GoalTraceRegistry(1.5)).toThrow(RangeError);
  });
});
