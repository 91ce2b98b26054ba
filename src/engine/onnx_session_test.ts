import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import onnxProto from "onnx-proto";
import type { onnx } from "onnx-proto";
import { createOnnxSession, onnxRuntime, onnxSessionSettings } from "./onnx_session.ts";
import { initEngine } from "./engine.ts";

const proto = onnxProto.onnx;

// The failed cuda session below logs a native error before throwing; keep test output clean.
(await onnxRuntime()).env.logLevel = "fatal";

/** A one-node ONNX model, Y = MatMul(X [2, 3], W [3, 2]) with W an initializer, built by hand. */
function matMulModel(): Uint8Array {
  const floatType = (dims: number[]): onnx.ITypeProto => ({
    tensorType: {
      elemType: proto.TensorProto.DataType.FLOAT,
      shape: { dim: dims.map((d) => ({ dimValue: d })) },
    },
  });
  const model: onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    producerName: "embeddistill-engine-test",
    graph: {
      name: "matmul",
      node: [{ opType: "MatMul", input: ["X", "W"], output: ["Y"], name: "mm" }],
      initializer: [{
        name: "W",
        dims: [3, 2],
        dataType: proto.TensorProto.DataType.FLOAT,
        floatData: [1, 2, 3, 4, 5, 6],
      }],
      input: [{ name: "X", type: floatType([2, 3]) }],
      output: [{ name: "Y", type: floatType([2, 2]) }],
    },
  };
  return new Uint8Array(proto.ModelProto.encode(model).finish());
}

Deno.test("createOnnxSession runs a hand-built MatMul with the requested threads", async () => {
  const { session, settings } = await createOnnxSession(matMulModel(), {
    intraOpThreads: 1,
    interOpThreads: 1,
  });
  strictEqual(settings.executionProvider, "cpu");
  strictEqual(settings.intraOpThreads, 1);
  ok(settings.source.endsWith("bytes>"));
  const { Tensor } = await onnxRuntime();
  const x = new Tensor("float32", Float32Array.from([1, 0, 2, -1, 3, 1]), [2, 3]);
  const out = await session.run({ X: x });
  // [1 0 2] . W = [1 + 10, 2 + 12]; [-1 3 1] . W = [-1 + 9 + 5, -2 + 12 + 6] (by hand).
  deepStrictEqual([...(out["Y"]!.data as Float32Array)], [11, 14, 13, 16]);
  await session.release();
});

Deno.test("session settings default to the engine state", async () => {
  await initEngine({ backend: "cpu", threads: 3, onnxThreads: { interOpThreads: 2 } });
  const s = onnxSessionSettings("m.onnx");
  strictEqual(s.intraOpThreads, 3);
  strictEqual(s.interOpThreads, 2);
  strictEqual(onnxSessionSettings("m.onnx", { intraOpThreads: 1 }).intraOpThreads, 1);
});

Deno.test("createOnnxSession says which model and provider failed", async () => {
  await rejects(
    () => createOnnxSession("/nonexistent/model.onnx", { intraOpThreads: 1 }),
    /Cannot create an ONNX Runtime session on "\/nonexistent\/model.onnx" with execution provider "cpu"/,
  );
  await rejects(
    () => createOnnxSession(matMulModel(), { executionProvider: "cuda", logSeverityLevel: 4 }),
    /execution provider "cuda".*ONNXRUNTIME_NODE_INSTALL_CUDA/,
  );
});
