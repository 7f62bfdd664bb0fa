/*
 * The scan kernel, hand-assembled below from this WebAssembly text (no toolchain; ~200 bytes).
 * scores[j] = Σ rows[j][i] * query[i] over int8 rows and an int16 query, 16 dimensions a step:
 *
 * (module
 *   (import "env" "memory" (memory 0))
 *   (func (export "scanInt8") (param $query i32) (param $row i32) (param $count i32) (param $rowBytes i32) (param $out i32)
 *     (local $end i32) (local $i i32) (local $acc v128)
 *     (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
 *     (block $done
 *       (loop $rows
 *         (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
 *         (local.set $acc (v128.const i32x4 0 0 0 0))
 *         (local.set $i (i32.const 0))
 *         (loop $lanes                                  ;; rowBytes is a multiple of 16
 *           (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s
 *             (i16x8.extend_low_i8x16_s (v128.load (i32.add (local.get $row) (local.get $i))))
 *             (v128.load (i32.add (local.get $query) (i32.shl (local.get $i) (i32.const 1)))))))
 *           (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s
 *             (i16x8.extend_high_i8x16_s (v128.load (i32.add (local.get $row) (local.get $i))))
 *             (v128.load offset=16 (i32.add (local.get $query) (i32.shl (local.get $i) (i32.const 1)))))))
 *           (br_if $lanes (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $rowBytes))))
 *         (i32.store (local.get $out) (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
 *                                              (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
 *         (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
 *         (local.set $out (i32.add (local.get $out) (i32.const 4)))
 *         (br $rows)))))
 *
 * Integer arithmetic: the result is exact as long as no sum leaves the int32 range, which the
 * caller guarantees by bounding the query's magnitude (see `quantized-rows.ts`).
 */

/** The part of WebAssembly used here: Node has it, but the project's lib (ES2022, no DOM) does not declare it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (descriptor: { initial: number }) => WasmMemory;
}
declare const WebAssembly: WasmApi | undefined;

export const WASM_PAGE_BYTES = 65_536;

// Locals: the five parameters, then $end, $i, $acc.
const QUERY = 0;
const ROW = 1;
const COUNT = 2;
const ROW_BYTES = 3;
const OUT = 4;
const END = 5;
const I = 6;
const ACC = 7;

const I32 = 0x7f;
const V128 = 0x7b;
const EMPTY_BLOCK = 0x40;

function uleb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return bytes;
}

/** Signed LEB128 of a small non-negative constant (below 64: one byte). */
function smallConst(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value >= 64) throw new RangeError('only small non-negative constants are used');
  return [0x41, value];
}

const simd = (opcode: number) => [0xfd, ...uleb(opcode)];

const op = {
  block: [0x02, EMPTY_BLOCK],
  loop: [0x03, EMPTY_BLOCK],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  i32Const: smallConst,
  i32LtU: [0x49],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  i32Shl: [0x74],
  /** memarg: alignment 2^2, offset 0. */
  i32Store: [0x36, 2, 0],
  /** memarg: alignment 2^4 (a hint; unaligned addresses work), then the offset. */
  v128Load: (offset: number) => [...simd(0x00), 4, ...uleb(offset)],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  i16x8ExtendLowI8x16S: simd(0x87),
  i16x8ExtendHighI8x16S: simd(0x88),
  i32x4DotI16x8S: simd(0xba),
  i32x4Add: simd(0xae),
  i32x4ExtractLane: (lane: number) => [...simd(0x1b), lane],
};

/** acc += dot(extend(row[i..i+16) half), query[i..i+16) half) for one half of 16 int8s. */
const halfStep = (extend: number[], queryOffset: number) => [
  ...op.get(ACC),
  ...op.get(ROW), ...op.get(I), ...op.i32Add, ...op.v128Load(0), ...extend,
  ...op.get(QUERY), ...op.get(I), ...op.i32Const(1), ...op.i32Shl, ...op.i32Add, ...op.v128Load(queryOffset),
  ...op.i32x4DotI16x8S, ...op.i32x4Add, ...op.set(ACC),
];

const body: number[] = [
  ...op.get(OUT), ...op.get(COUNT), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.set(END),
  ...op.block,
  ...op.loop,
  ...op.get(OUT), ...op.get(END), ...op.i32GeU, ...op.brIf(1),
  ...op.v128Zero, ...op.set(ACC),
  ...op.i32Const(0), ...op.set(I),
  ...op.loop,
  ...halfStep(op.i16x8ExtendLowI8x16S, 0),
  ...halfStep(op.i16x8ExtendHighI8x16S, 16),
  ...op.get(I), ...op.i32Const(16), ...op.i32Add, ...op.tee(I), ...op.get(ROW_BYTES), ...op.i32LtU, ...op.brIf(0),
  ...op.end,
  ...op.get(OUT),
  ...op.get(ACC), ...op.i32x4ExtractLane(0), ...op.get(ACC), ...op.i32x4ExtractLane(1), ...op.i32Add,
  ...op.get(ACC), ...op.i32x4ExtractLane(2), ...op.get(ACC), ...op.i32x4ExtractLane(3), ...op.i32Add,
  ...op.i32Add, ...op.i32Store,
  ...op.get(ROW), ...op.get(ROW_BYTES), ...op.i32Add, ...op.set(ROW),
  ...op.get(OUT), ...op.i32Const(4), ...op.i32Add, ...op.set(OUT),
  ...op.br(0),
  ...op.end,
  ...op.end,
  ...op.end,
];

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, entries: readonly (readonly number[])[]): number[] {
  const content = [...uleb(entries.length), ...entries.flat()];
  return [id, ...uleb(content.length), ...content];
}

function moduleBytes(): Uint8Array {
  const locals = [...uleb(2), ...uleb(2), I32, ...uleb(1), V128];
  const code = [...locals, ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [[0x60, ...uleb(5), I32, I32, I32, I32, I32, ...uleb(0)]]), // type: (i32 x5) -> ()
    ...section(2, [[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(0)]]), // import memory, min 0 pages
    ...section(3, [uleb(0)]), // function 0 has type 0
    ...section(7, [[...name('scanInt8'), 0x00, ...uleb(0)]]), // export function 0
    ...section(10, [[...uleb(code.length), ...code]]),
  ]);
}

/** Offsets in bytes: the int16 query, the first int8 row, rows, bytes per row (a multiple of 16), the int32 scores. */
export type ScanInt8 = (queryAt: number, rowsAt: number, count: number, rowBytes: number, scoresAt: number) => void;

let compiled: WasmModule | null | undefined;

function int8Module(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(moduleBytes()) : null;
    } catch {
      // WebAssembly without the SIMD extension.
      compiled = null;
    }
  }
  return compiled;
}

/** Whether this runtime runs the kernel (Node 20 does; not under `--jitless`). */
export function wasmSimdAvailable(): boolean {
  return int8Module() !== null;
}

/** A fresh memory (growing in 64 KiB pages) and the kernel bound to it. */
export function instantiateInt8Kernel(): { memory: WasmMemory; scanInt8: ScanInt8 } {
  const module = int8Module();
  if (module === null || WebAssembly === undefined) throw new Error('WebAssembly SIMD is not available in this runtime');
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { memory, scanInt8: instance.exports.scanInt8 as ScanInt8 };
}
