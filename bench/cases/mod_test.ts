import assert from "node:assert/strict";
import { BENCH_CASES, selectCases } from "./mod.ts";

Deno.test("BENCH_CASES: unique names area/what, positive thresholds, every issue hot path", () => {
  const names = BENCH_CASES.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  for (const c of BENCH_CASES) {
    assert.match(c.name, /^[a-z0-9]+\/[a-z0-9-]+$/);
    assert.ok(c.threshold > 0 && c.threshold < 5, `${c.name}: threshold ${c.threshold}`);
  }
  for (
    const path of [
      "eval/parse-evaluate",
      "text/tokenize",
      "bm25/index",
      "bm25/search",
      "encode/tfjs",
      "encode/ort",
      "train/student-step",
      "train/teacher-step",
      "topk/exact",
      "latency/query-encoder",
      "store/write-cell",
    ]
  ) assert.ok(names.includes(path), `missing ${path}`);
});

Deno.test("selectCases: --only in registry order, --quick's subset, unknown names listed", () => {
  assert.deepEqual(selectCases(["bm25/search", "eval/parse-evaluate"], false).map((c) => c.name), [
    "eval/parse-evaluate",
    "bm25/search",
  ]);
  assert.deepEqual(selectCases([], true), BENCH_CASES.filter((c) => c.quick));
  assert.throws(
    () => selectCases(["nope", "bm25/search"], false),
    /Unknown bench "nope": expected one of/,
  );
});

Deno.test("cases: the store and evaluation cases prepare and run once in a temp folder", async () => {
  const tempDir = await Deno.makeTempDir({ prefix: "bench-cases-" });
  try {
    for (const name of ["store/write-cell", "eval/parse-evaluate"]) {
      const c = selectCases([name], false)[0]!;
      const prepared = await c.prepare({ threads: 1, tempDir });
      assert.equal(prepared.kind, "prepared-case");
      await prepared.run();
      await prepared.dispose?.();
    }
  } finally {
    await Deno.remove(tempDir, { recursive: true });
  }
});
