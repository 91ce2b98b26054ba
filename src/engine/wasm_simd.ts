/**
 * A minimal WebAssembly assembler for the engine's SIMD kernels: instruction encodings (f32x4 /
 * i32x4 arithmetic, v128 loads and stores, locals, loops) and a module builder whose functions
 * take i32 byte offsets into an imported memory (the tfjs wasm heap). Encodings follow the
 * WebAssembly core specification 2.0, chapter 5 (binary format; 5.4.8 vector instructions).
 *
 * @module
 */

/** Instruction bytes; SIMD opcodes carry the 0xFD prefix. */
export type Code = number[];

const BLOCK = 0x02, LOOP = 0x03, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, VOID = 0x40;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22;
const I32_CONST = 0x41, I32_GE_U = 0x4f, I32_ADD = 0x6a, I32_AND = 0x71, I32_SHL = 0x74;
const V128_LOAD = 0, V128_STORE = 11, V128_CONST = 12, BITSELECT = 82;
const F32X4_GE = 70, F32X4_NEAREST = 106, I32X4_SHL = 171, I32X4_ADD = 174;
const F32X4_ABS = 224, F32X4_SQRT = 227, F32X4_ADD = 228, F32X4_SUB = 229, F32X4_MUL = 230;
const F32X4_DIV = 231, F32X4_MIN = 232, F32X4_MAX = 233, I32X4_TRUNC_SAT_F32X4_S = 248;

/** Value types. */
export const I32 = 0x7f;
/** The 128-bit vector type. */
export const V128 = 0x7b;
/** 32-bit float. */
export const F32 = 0x7d;

/** Unsigned LEB128. */
export function leb(n: number): Code {
  const out: Code = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128. */
export function sleb(n: number): Code {
  const out: Code = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (op: number): Code => [0xfd, ...leb(op)];

/** local.get / local.set / local.tee. */
export const get = (i: number): Code => [LOCAL_GET, ...leb(i)];
/** local.set. */
export const set = (i: number): Code => [LOCAL_SET, ...leb(i)];
/** local.tee. */
export const tee = (i: number): Code => [LOCAL_TEE, ...leb(i)];
/** v128.const with x in all four f32 lanes. */
export const splat = (x: number): Code => [
  ...simd(V128_CONST),
  ...new Uint8Array(new Float32Array([x, x, x, x]).buffer),
];
/** v128.const with x in all four i32 lanes. */
export const i32x4Const = (x: number): Code => [
  ...simd(V128_CONST),
  ...new Uint8Array(new Int32Array([x, x, x, x]).buffer),
];
/** i32.const. */
/** v128.load / v128.store with alignment hint 2^2 (unaligned access is allowed) and offset 0. */
export const load: Code = [...simd(V128_LOAD), 2, 0];
/** v128.store. */
export const store: Code = [...simd(V128_STORE), 2, 0];
/** f32x4 arithmetic. */
export const abs: Code = simd(F32X4_ABS);
/** f32x4.sqrt. */
export const sqrt: Code = simd(F32X4_SQRT);
/** f32x4.add. */
export const add: Code = simd(F32X4_ADD);
/** f32x4.sub. */
export const sub: Code = simd(F32X4_SUB);
/** f32x4.mul. */
export const mul: Code = simd(F32X4_MUL);
/** f32x4.div. */
export const div: Code = simd(F32X4_DIV);
/** f32x4.min. */
export const min: Code = simd(F32X4_MIN);
/** f32x4.max. */
export const max: Code = simd(F32X4_MAX);
/** f32x4.ge (lane mask). */
export const ge: Code = simd(F32X4_GE);
/** v128.bitselect: a where the mask is set, else b (stack: a, b, mask). */
export const bitselect: Code = simd(BITSELECT);
/** f32x4.splat of the f32 on the stack. */
export const f32x4Splat: Code = simd(19);
/** i32 address arithmetic: base + i. */
export const at = (base: number, i: number): Code => [...get(base), ...get(i), I32_ADD];

/**
 * exp of the f32x4 on the stack, using v128 locals `a` and `k` as scratch: exp(a) = 2^k e^r,
 * k = round(a / ln 2), r = a - k ln 2 (Cody-Waite split), e^r by its degree-6 Taylor polynomial
 * (|r| <= ln 2 / 2: relative error < 1.2e-7); a is clamped to [-87, 88].
 */
export function exp(a: number, k: number): Code {
  return [
    ...splat(-87),
    ...max,
    ...splat(88),
    ...min,
    ...tee(a),
    ...splat(Math.LOG2E),
    ...mul,
    ...simd(F32X4_NEAREST),
    ...set(k),
    // ln2_hi has 9 significant bits, so k * ln2_hi is exact.
    ...get(a),
    ...get(k),
    ...splat(0.693359375),
    ...mul,
    ...sub,
    ...get(k),
    ...splat(-2.12194440e-4),
    ...mul,
    ...sub,
    ...set(a),
    ...splat(1 / 720),
    ...[1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1].flatMap((
      c,
    ) => [...get(a), ...mul, ...splat(c), ...add]),
    // 2^k: (k + 127) << 23 as float bits.
    ...get(k),
    ...simd(I32X4_TRUNC_SAT_F32X4_S),
    ...i32x4Const(127),
    ...simd(I32X4_ADD),
    I32_CONST,
    23,
    ...simd(I32X4_SHL),
    ...mul,
  ];
}

/**
 * Set local `end` to (local `n` floats) rounded down to whole vectors, in bytes; then run `body`
 * for byte offsets i = 0, 16, ... below it (i is local `i`).
 */
export function vectorLoop(n: number, i: number, end: number, body: Code): Code {
  return [
    ...get(n),
    I32_CONST,
    2,
    I32_SHL,
    I32_CONST,
    ...sleb(-16),
    I32_AND,
    ...set(end),
    BLOCK,
    VOID,
    LOOP,
    VOID,
    ...get(i),
    ...get(end),
    I32_GE_U,
    BR_IF,
    1,
    ...body,
    ...get(i),
    I32_CONST,
    16,
    I32_ADD,
    ...set(i),
    BR,
    0,
    END,
    END,
  ];
}

/** One exported function: parameter types (i32 offsets and counts, f32 scalars), locals, body. */
export interface SimdFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly locals: readonly (readonly [count: number, type: number])[];
  readonly body: Code;
}

const section = (id: number, payload: Code): Code => [id, ...leb(payload.length), ...payload];
const vec = (items: Code[]): Code => [...leb(items.length), ...items.flat()];
const utf8 = (s: string): Code => [...leb(s.length), ...new TextEncoder().encode(s)];

/** A module importing `env.memory` (min 1 page, no maximum) and exporting `functions`. */
export function assembleModule(functions: readonly SimdFunction[]): Uint8Array<ArrayBuffer> {
  const types = section(
    1,
    vec(functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0])),
  );
  const imports = section(2, vec([[...utf8("env"), ...utf8("memory"), 0x02, 0x00, 0x01]]));
  const funcs = section(3, vec(functions.map((_, i) => leb(i))));
  const exports = section(7, vec(functions.map((f, i) => [...utf8(f.name), 0x00, ...leb(i)])));
  const code = section(
    10,
    vec(functions.map((f) => {
      const body = [...vec(f.locals.map(([count, type]) => [...leb(count), type])), ...f.body, END];
      return [...leb(body.length), ...body];
    })),
  );
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...imports,
    ...funcs,
    ...exports,
    ...code,
  ]);
}

/** Instantiate `bytes` on `memory`; undefined where WebAssembly SIMD is unavailable. */
export function instantiate<T>(
  bytes: Uint8Array<ArrayBuffer>,
  memory: WebAssembly.Memory,
): T | undefined {
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    return instance.exports as unknown as T;
  } catch {
    return undefined;
  }
}
