/**
 * The Adam update in WebAssembly SIMD (f32x4) on the tfjs wasm heap, assembled with wasm_simd.ts:
 * one pass over parameter, moments and gradient per variable (see adam.ts for the formula).
 *
 * @module
 */

import {
  add,
  assembleModule,
  at,
  div,
  F32,
  f32x4Splat,
  get,
  I32,
  instantiate,
  load,
  mul,
  set,
  sqrt,
  store,
  sub,
  tee,
  V128,
  vectorLoop,
} from "./wasm_simd.ts";

/** The SIMD Adam kernel; pointers are byte offsets into the imported memory, n counts floats. */
export interface AdamSimd {
  /**
   * For the first n - n % 4 elements: g = grad + wd p, m' = b1 m + a1 g, v' = b2 v + a2 g^2,
   * p' = decay p - lrc1 m' / (sqrt(c2 v') + eps), with a = 1 - b, lrc1 = lr / (1 - b1^t),
   * c2 = 1 / (1 - b2^t), decay = 1 - lr wd_decoupled.
   */
  update(
    p: number,
    m: number,
    v: number,
    g: number,
    outP: number,
    outM: number,
    outV: number,
    n: number,
    b1: number,
    a1: number,
    b2: number,
    a2: number,
    lrc1: number,
    c2: number,
    eps: number,
    wd: number,
    decay: number,
  ): void;
}

// Params 0-7 i32 (p, m, v, g, outP, outM, outV, n), 8-16 f32 (b1, a1, b2, a2, lrc1, c2, eps,
// wd, decay). Locals: i 17, end 18 (i32); splatted scalars 19-27, p 28, g 29, m' 30, v' 31 (v128).
const I = 17;
const splatParams = [8, 9, 10, 11, 12, 13, 14, 15, 16].flatMap((p, j) => [
  ...get(p),
  ...f32x4Splat,
  ...set(19 + j),
]);
const [B1, A1, B2, A2, LRC1, C2, EPS, WD, DECAY] = [19, 20, 21, 22, 23, 24, 25, 26, 27];
const [P, G, M, V] = [28, 29, 30, 31];

const update = {
  name: "update",
  params: [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32, F32],
  locals: [[2, I32], [13, V128]] as const,
  body: [
    ...splatParams,
    ...vectorLoop(7, I, 18, [
      ...at(0, I),
      ...load,
      ...set(P),
      ...at(3, I),
      ...load,
      ...get(WD),
      ...get(P),
      ...mul,
      ...add,
      ...set(G),
      ...at(5, I),
      ...at(1, I),
      ...load,
      ...get(B1),
      ...mul,
      ...get(G),
      ...get(A1),
      ...mul,
      ...add,
      ...tee(M),
      ...store,
      ...at(6, I),
      ...at(2, I),
      ...load,
      ...get(B2),
      ...mul,
      ...get(G),
      ...get(G),
      ...mul,
      ...get(A2),
      ...mul,
      ...add,
      ...tee(V),
      ...store,
      ...at(4, I),
      ...get(P),
      ...get(DECAY),
      ...mul,
      ...get(LRC1),
      ...get(M),
      ...mul,
      ...get(V),
      ...get(C2),
      ...mul,
      ...sqrt,
      ...get(EPS),
      ...add,
      ...div,
      ...sub,
      ...store,
    ]),
  ],
};

/** The module's bytes: imports env.memory, exports `update`. */
export function adamSimdModule(): Uint8Array<ArrayBuffer> {
  return assembleModule([update]);
}

const instances = new WeakMap<WebAssembly.Memory, AdamSimd | null>();

/** The SIMD kernel bound to `memory`, or undefined where WebAssembly SIMD is unavailable. */
export function adamSimd(memory: WebAssembly.Memory): AdamSimd | undefined {
  let found = instances.get(memory);
  if (found === undefined) {
    found = instantiate<AdamSimd>(adamSimdModule(), memory) ?? null;
    instances.set(memory, found);
  }
  return found ?? undefined;
}
