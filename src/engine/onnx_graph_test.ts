import assert from "node:assert/strict";
import { floatAttr, intAttr, intsAttr, OnnxGraphBuilder } from "./onnx_graph.ts";
import { createOnnxSession, onnxRuntime } from "./mod.ts";

const { Tensor } = await onnxRuntime();

Deno.test("OnnxGraphBuilder builds a graph ONNX Runtime runs with hand-computed results", async () => {
  const g = new OnnxGraphBuilder("probe");
  g.input("x", "float32", ["batch", 2]);
  const w = g.float32("w", new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
  const y = g.op("Gemm", ["x", w], { alpha: floatAttr(2), transB: intAttr(0) });
  const t = g.op("Transpose", [y], { perm: intsAttr([1, 0]) });
  g.node("ReduceSum", [t, g.int64("axes", [1])], { keepdims: intAttr(0) }, ["sum"]);
  g.output("sum", "float32", [3]);
  const bytes = g.toBytes({ opset: 17, metadata: { note: "probe" } });
  const { session } = await createOnnxSession(bytes, { intraOpThreads: 1 });
  try {
    const out = await session.run({
      x: new Tensor("float32", new Float32Array([1, 0, 1, 1]), [2, 2]),
    });
    // 2 * [[1,0],[1,1]] @ [[1,2,3],[4,5,6]] = [[2,4,6],[10,14,18]]; column sums: 12, 18, 24.
    assert.deepEqual([...(out["sum"]!.data as Float32Array)], [12, 18, 24]);
  } finally {
    await session.release();
  }
});

Deno.test("OnnxGraphBuilder rejects duplicate names and wrong initializer sizes", () => {
  const g = new OnnxGraphBuilder("bad");
  g.input("x", "float32", [1]);
  assert.throws(() => g.input("x", "float32", [1]), /the name is taken/);
  assert.throws(() => g.float32("w", new Float32Array(3), [2, 2]), /needs 4 values, found 3/);
  assert.notEqual(g.fresh("v"), g.fresh("v"));
});
