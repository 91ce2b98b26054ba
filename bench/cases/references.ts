/**
 * The fixed references every case is divided by, run interleaved with it: a fixed OpenBLAS sgemm
 * (4 products of 512 x 512 matrices, at the case's threads) for BLAS-bound cases, and a fixed
 * scalar loop (an integer LCG summed into a double, 8M steps) for the rest. Without OpenBLAS the
 * sgemm reference is a plain TypeScript matmul, named differently so that its ratios are never
 * compared with a BLAS baseline.
 *
 * @module
 */

import { type Blas, loadBlas } from "../../src/engine/mod.ts";
import type { ReferenceKind } from "./case.ts";

/** A reference, ready to run. */
export interface Reference {
  readonly kind: "reference";
  /** e.g. `sgemm-512x4`, `ts-matmul-128x4`, `scalar-loop-8M`. */
  readonly name: string;
  /** The BLAS it ran on, null when none. */
  readonly blas: string | null;
  run(): void;
}

const SGEMM_N = 512;
const SGEMM_CALLS = 4;
const TS_N = 128;
const SCALAR_STEPS = 8_000_000;

/** Read by nothing: results land here so that the work cannot be optimised away. */
export let sink = 0;

/** The integer loop of the scalar reference (exported for its test): the sum of 8M LCG draws' low bits. */
export function scalarLoop(steps: number = SCALAR_STEPS): number {
  let x = 1;
  let acc = 0;
  for (let i = 0; i < steps; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    acc += x & 1023;
  }
  return acc;
}

function filled(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

/** `c = a b` for n x n row-major matrices, plain TypeScript (the no-BLAS reference's work). */
export function tsMatmul(a: Float32Array, b: Float32Array, c: Float32Array, n: number): void {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      for (let j = 0; j < n; j++) c[i * n + j]! += aik * b[k * n + j]!;
    }
  }
}

function sgemmReference(blas: Blas, threads: number): Reference {
  const a = filled(SGEMM_N * SGEMM_N, 1);
  const b = filled(SGEMM_N * SGEMM_N, 2);
  const c = new Float32Array(SGEMM_N * SGEMM_N);
  return {
    kind: "reference",
    name: `sgemm-${SGEMM_N}x${SGEMM_CALLS}`,
    blas: "openblas",
    run() {
      blas.setThreads(threads);
      for (let i = 0; i < SGEMM_CALLS; i++) {
        blas.sgemm(
          false,
          false,
          SGEMM_N,
          SGEMM_N,
          SGEMM_N,
          1,
          a,
          SGEMM_N,
          b,
          SGEMM_N,
          0,
          c,
          SGEMM_N,
        );
      }
      sink = c[0]!;
    },
  };
}

function tsMatmulReference(): Reference {
  const a = filled(TS_N * TS_N, 1);
  const b = filled(TS_N * TS_N, 2);
  const c = new Float32Array(TS_N * TS_N);
  return {
    kind: "reference",
    name: `ts-matmul-${TS_N}x4`,
    blas: null,
    run() {
      for (let i = 0; i < 4; i++) tsMatmul(a, b, c, TS_N);
      sink = c[0]!;
    },
  };
}

/** The scalar loop reference. */
export function scalarReference(): Reference {
  return {
    kind: "reference",
    name: `scalar-loop-${SCALAR_STEPS / 1e6}M`,
    blas: null,
    run() {
      sink = scalarLoop();
    },
  };
}

/**
 * The reference of `kind` at `threads`: sgemm on OpenBLAS when it loads (EMBEDDISTILL_BLAS=none
 * or a missing library gives the TypeScript matmul), or the scalar loop.
 */
export function reference(kind: ReferenceKind, threads: number): Reference {
  if (kind === "scalar") return scalarReference();
  const lookup = loadBlas(Deno.env.get("EMBEDDISTILL_BLAS"));
  return lookup.kind === "found" ? sgemmReference(lookup.blas, threads) : tsMatmulReference();
}
