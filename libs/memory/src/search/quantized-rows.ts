import { instantiateInt8Kernel, ScanInt8, WASM_PAGE_BYTES, WasmMemory } from './wasm-int8-kernel';

const INT8_MAX = 127;
const INT16_MAX = 32_767;
/** Covers floating-point rounding in the bound's own arithmetic (the terms it bounds are ~1e-3). */
const BOUND_SLACK = 1e-6;

/**
 * Unit vectors as int8 rows (one scale per row) in WebAssembly memory, for a SIMD scan that
 * reads a quarter of the bytes a float32 scan reads. The scan gives, for every row j, an
 * approximate score a_j and an upper bound u_j >= the exact float32 score:
 *
 *   row r ~ s_r * R (R_i = round(r_i / s_r) in -127..127, s_r = max|r| / 127), |r_i - s_r R_i| <= s_r / 2
 *   query q ~ s_q * Q (Q_i in -Qmax..Qmax),                                     |q_i - s_q Q_i| <= s_q / 2
 *   a_j = s_r s_q (R · Q), computed exactly in int32
 *   r · q - a_j = Σ s_r R_i (q_i - s_q Q_i) + Σ (r_i - s_r R_i) q_i
 *   |r · q - a_j| <= (s_q / 2) Σ|s_r R_i| + (s_r / 2) Σ|q_i|  =: e_j,   u_j = a_j + e_j
 *
 * Qmax keeps every int32 sum in range: dimensions x 127 x Qmax < 2^31.
 *
 * Memory layout (bytes): [query: int16 x stride][rows: int8 x stride x capacity][scores: int32 x capacity].
 * The scores follow the rows, so growing moves no row: only the scratch scores change place.
 */
export class QuantizedRows {
  /** Row length in bytes: dimensions rounded up to the kernel's 16. */
  private readonly stride: number;
  private readonly queryMax: number;
  private readonly memory: WasmMemory;
  private readonly scanInt8: ScanInt8;
  private capacity = 0;
  /** s_r per row. */
  private scales: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Σ|s_r R_i| per row (the dequantised row's L1 norm). */
  private norms1: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Per scan, per row: a_j and u_j. */
  private approx = new Float64Array(0);
  private upper = new Float64Array(0);
  private readonly queryInt: Int16Array;
  /** A view of the whole memory, replaced when the memory grows. */
  private bytes: Int8Array;

  constructor(private readonly dimensions: number) {
    this.stride = Math.ceil(dimensions / 16) * 16;
    this.queryMax = Math.min(INT16_MAX, Math.floor((2 ** 31 - 1) / (INT8_MAX * this.stride)));
    const kernel = instantiateInt8Kernel();
    this.memory = kernel.memory;
    this.scanInt8 = kernel.scanInt8;
    this.queryInt = new Int16Array(this.stride);
    this.bytes = new Int8Array(this.memory.buffer);
  }

  /** Bytes held: WebAssembly memory and the per-row arrays. */
  get reservedBytes(): number {
    return this.memory.buffer.byteLength + 8 * (this.scales.length + this.norms1.length + this.approx.length + this.upper.length);
  }

  reserve(capacity: number): void {
    const needed = 2 * this.stride + capacity * (this.stride + 4);
    const missing = needed - this.memory.buffer.byteLength;
    if (missing > 0) {
      try {
        this.memory.grow(Math.ceil(missing / WASM_PAGE_BYTES));
      } catch (error) {
        throw new RangeError(`the vector index cannot grow to ${capacity} vectors (WebAssembly memory is limited to 4 GiB): ${(error as Error).message}`);
      }
    }
    this.bytes = new Int8Array(this.memory.buffer);
    this.scales = grown(this.scales, capacity);
    this.norms1 = grown(this.norms1, capacity);
    this.approx = new Float64Array(capacity);
    this.upper = new Float64Array(capacity);
    this.capacity = capacity;
  }

  /** Quantises the unit vector `source[from .. from + dimensions)` into row `slot`. */
  set(slot: number, source: Float32Array, from: number): void {
    let maxAbs = 0;
    for (let i = 0; i < this.dimensions; i++) maxAbs = Math.max(maxAbs, Math.abs(source[from + i]));
    const scale = maxAbs / INT8_MAX;
    const bytes = this.bytes;
    const row = this.rowsAt() + slot * this.stride;
    let sum = 0;
    for (let i = 0; i < this.dimensions; i++) {
      const value = Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.round(source[from + i] / scale)));
      bytes[row + i] = value;
      sum += Math.abs(value);
    }
    this.scales[slot] = scale;
    this.norms1[slot] = scale * sum;
  }

  /** Copies row `from` over row `to`. */
  move(from: number, to: number): void {
    const start = this.rowsAt() + from * this.stride;
    this.bytes.copyWithin(this.rowsAt() + to * this.stride, start, start + this.stride);
    this.scales[to] = this.scales[from];
    this.norms1[to] = this.norms1[from];
  }

  /** Scans the first `count` rows against the unit query: a_j and u_j, valid until the next scan. */
  scan(query: Float32Array, count: number): { readonly approx: Float64Array; readonly upper: Float64Array } {
    let maxAbs = 0;
    let norm1 = 0;
    for (let i = 0; i < this.dimensions; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(query[i]));
      norm1 += Math.abs(query[i]);
    }
    const queryScale = maxAbs / this.queryMax;
    const queryInt = this.queryInt;
    for (let i = 0; i < this.dimensions; i++) queryInt[i] = Math.max(-this.queryMax, Math.min(this.queryMax, Math.round(query[i] / queryScale)));
    new Int16Array(this.memory.buffer, 0, this.stride).set(queryInt);

    const scoresAt = this.rowsAt() + this.capacity * this.stride;
    this.scanInt8(0, this.rowsAt(), count, this.stride, scoresAt);
    const dots = new Int32Array(this.memory.buffer, scoresAt, count);
    const { scales, norms1, approx, upper } = this;
    const halfQueryScale = queryScale / 2;
    const halfNorm1 = norm1 / 2;
    for (let j = 0; j < count; j++) {
      const estimate = scales[j] * queryScale * dots[j];
      approx[j] = estimate;
      upper[j] = estimate + halfQueryScale * norms1[j] + scales[j] * halfNorm1 + BOUND_SLACK;
    }
    return { approx, upper };
  }

  private rowsAt(): number {
    return 2 * this.stride;
  }
}

function grown(array: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(capacity);
  next.set(array.subarray(0, Math.min(array.length, capacity)));
  return next;
}
