import { seededRandom as seeded } from '@agentos/runtime';
import { QuantizedRows } from './quantized-rows';

/** A unit float32 vector; `sparse` leaves most components at 0, like the local embedder's. */
function unitVector(random: () => number, dimensions: number, sparse = false): Float32Array {
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = sparse && random() < 0.8 ? 0 : random() * 2 - 1;
  if (vector.every((value) => value === 0)) vector[0] = 1;
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vector.map((value) => value / norm);
}

function exactDot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

describe('QuantizedRows', () => {
  it.each([
    [3, false],
    [16, false],
    [100, true],
    [384, true],
    [384, false],
    [1_536, false],
    [20_000, false],
  ])('brackets every exact score within its bound, close to it (%i dimensions, sparse %p)', (dimensions, sparse) => {
    const random = seeded(dimensions);
    const count = dimensions > 5_000 ? 20 : 300;
    const rows = Array.from({ length: count }, () => unitVector(random, dimensions, sparse));
    const quantized = new QuantizedRows(dimensions);
    quantized.reserve(count);
    const flat = new Float32Array(count * dimensions);
    rows.forEach((row, slot) => {
      flat.set(row, slot * dimensions);
      quantized.set(slot, flat, slot * dimensions);
    });
    let outside = 0;
    let worstError = 0;
    let widestBound = 0;
    for (let q = 0; q < 10; q++) {
      const query = unitVector(random, dimensions, sparse);
      const { approx, upper } = quantized.scan(query, count);
      rows.forEach((row, slot) => {
        const exact = exactDot(row, query);
        const bound = upper[slot]! - approx[slot]!;
        if (exact > upper[slot]! || exact < approx[slot]! - bound) outside += 1;
        worstError = Math.max(worstError, Math.abs(exact - approx[slot]!));
        widestBound = Math.max(widestBound, bound);
      });
    }
    expect(outside).toBe(0);
    // int8 is a few per mille off, and the bound stays tight enough to prune.
    expect(worstError).toBeLessThan(0.02);
    expect(widestBound).toBeLessThan(0.05);
  });

  it('keeps rows through growth and moves', () => {
    const random = seeded(3);
    const dimensions = 40;
    const quantized = new QuantizedRows(dimensions);
    quantized.reserve(1);
    const rows = Array.from({ length: 5 }, () => unitVector(random, dimensions));
    const flat = new Float32Array(5 * dimensions);
    rows.forEach((row, slot) => {
      flat.set(row, slot * dimensions);
      quantized.reserve(slot + 1);
      quantized.set(slot, flat, slot * dimensions);
    });
    quantized.move(4, 1);
    const query = rows[4]!;
    const { approx } = quantized.scan(query, 5);
    expect(approx[1]).toBeCloseTo(1, 2);
    expect(approx[4]).toBeCloseTo(1, 2);
    expect(approx[0]).toBeCloseTo(exactDot(rows[0]!, query), 2);
  });
});
