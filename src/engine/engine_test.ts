import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { existsSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { describeEngine, engineState, initEngine, summariseEngine } from "./engine.ts";
import { loadBlas } from "./openblas.ts";
import { WASM_SIMD_BINARY, wasmDistDir } from "./wasm_dist.ts";

Deno.test("wasmDistDir resolves the package's dist folder", () => {
  const dir = wasmDistDir();
  ok(dir.endsWith("/"));
  ok(existsSync(`${dir}${WASM_SIMD_BINARY}`));
});

Deno.test("initEngine records backend, BLAS, threads, seed and patched kernels", async () => {
  const env = (name: string) => ({ EMBEDDISTILL_SEED: "9" } as Record<string, string>)[name];
  const state = await initEngine({ backend: "wasm", threads: 1 }, env);
  strictEqual(tf.getBackend(), "wasm");
  strictEqual(state.backend, "wasm");
  strictEqual(state.seed, 9);
  strictEqual(state.threads, 1);
  strictEqual(state.blas.found, loadBlas().kind === "found");
  if (state.blas.found) {
    strictEqual(state.blas.threads, 1);
    ok(state.kernelsPatched.includes("BatchMatMul@wasm:openblas"));
  }
  ok(state.kernelsPatched.includes("UnsortedSegmentSum@wasm:scatter-add"));
  ok(Object.isFrozen(state) && Object.isFrozen(state.blas));
  strictEqual(engineState(), state);
  const line = describeEngine(state);
  ok(line.includes("wasm") && line.includes("seed 9"), line);
});

Deno.test("summariseEngine is one short line: backend, +blas when loaded, threads", async () => {
  const state = await initEngine({ backend: "wasm", threads: 2 });
  const blas = state.blas.found ? "+blas" : "";
  strictEqual(summariseEngine(state), `wasm${blas}, 2 threads`);
  ok(describeEngine(state).length > summariseEngine(state).length);
  strictEqual(summariseEngine({ ...state, threads: 1 }), `wasm${blas}, 1 thread`);
  await initEngine({ backend: "wasm" });
});

Deno.test("initEngine without patches restores the stock kernels", async () => {
  const state = await initEngine({ backend: "wasm", patchKernels: false });
  deepStrictEqual(
    state.kernelsPatched.filter((k) => k.includes("@wasm")),
    [],
  );
  strictEqual(tf.getKernel("UnsortedSegmentSum", "wasm"), undefined);
  await initEngine({ backend: "wasm" });
});

Deno.test("EMBEDDISTILL_BACKEND selects the backend", async () => {
  const state = await initEngine({}, (n) => (n === "EMBEDDISTILL_BACKEND" ? "cpu" : undefined));
  strictEqual(state.backend, "cpu");
  strictEqual(tf.getBackend(), "cpu");
});

Deno.test("the tensorflow backend fails with instructions when tfjs-node is absent", async () => {
  await rejects(
    () => initEngine({ backend: "tensorflow" }),
    /Cannot load the experimental "tensorflow" backend.*deno.json/s,
  );
});
