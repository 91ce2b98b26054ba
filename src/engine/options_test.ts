import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { coreCount, parseBackendName, resolveEngineOptions } from "./options.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("resolveEngineOptions applies defaults", () => {
  const r = resolveEngineOptions({}, envOf({}));
  deepStrictEqual(r, {
    backend: "wasm",
    threads: coreCount(),
    seed: 42,
    blas: undefined,
    patchKernels: true,
    executionProvider: "cpu",
    onnxThreads: { intraOpThreads: coreCount(), interOpThreads: 1 },
  });
});

Deno.test("resolveEngineOptions reads the environment, options win", () => {
  const env = envOf({
    EMBEDDISTILL_BACKEND: "CPU",
    EMBEDDISTILL_THREADS: "3",
    EMBEDDISTILL_SEED: "-7",
    EMBEDDISTILL_BLAS: "none",
  });
  const fromEnv = resolveEngineOptions({}, env);
  strictEqual(fromEnv.backend, "cpu");
  strictEqual(fromEnv.threads, 3);
  strictEqual(fromEnv.seed, -7);
  strictEqual(fromEnv.blas, "none");
  strictEqual(fromEnv.onnxThreads.intraOpThreads, 3);
  const explicit = resolveEngineOptions(
    { backend: "wasm", threads: 1, seed: 5, onnxThreads: { interOpThreads: 2 } },
    env,
  );
  strictEqual(explicit.backend, "wasm");
  strictEqual(explicit.threads, 1);
  strictEqual(explicit.seed, 5);
  deepStrictEqual(explicit.onnxThreads, { intraOpThreads: 1, interOpThreads: 2 });
});

Deno.test("resolveEngineOptions rejects bad values with the source named", () => {
  throws(
    () => resolveEngineOptions({}, envOf({ EMBEDDISTILL_BACKEND: "webgl" })),
    /Cannot use EMBEDDISTILL_BACKEND "webgl": expected one of "wasm", "cpu", "tensorflow"/,
  );
  throws(
    () => resolveEngineOptions({}, envOf({ EMBEDDISTILL_THREADS: "0" })),
    /Cannot use EMBEDDISTILL_THREADS "0": expected a positive integer/,
  );
  throws(() => resolveEngineOptions({ threads: 1.5 }, envOf({})), RangeError);
  throws(() => resolveEngineOptions({}, envOf({ EMBEDDISTILL_SEED: "x" })), RangeError);
  throws(() => parseBackendName("gpu", "--backend"), /Cannot use --backend "gpu"/);
});
