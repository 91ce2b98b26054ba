import assert from "node:assert/strict";
import { classifyBlas, startTorchServer } from "./torch_server.ts";
import { findTorchPython } from "./torch_peer.ts";

const peer = await findTorchPython();

Deno.test("classifyBlas: OpenBLAS, Debian's reference BLAS, or what was mapped", () => {
  assert.deepEqual(
    classifyBlas(["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"]),
    {
      blas: "openblas (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3)",
      reference: false,
    },
  );
  assert.deepEqual(classifyBlas(["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"]), {
    blas: "reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0)",
    reference: true,
  });
  assert.deepEqual(classifyBlas([]), { blas: "none mapped", reference: false });
});

Deno.test({
  name: "startTorchServer: a tiny peer answers train and encode with positive seconds",
  ignore: peer.kind === "absent",
  fn: async () => {
    const server = await startTorchServer({
      threads: 1,
      layers: 1,
      hidden: 16,
      heads: 2,
      seq: 8,
      batch: 4,
      encodeDocs: 4,
      encodeSeq: 8,
    });
    try {
      assert.equal(server.threads, 1);
      assert.ok((await server.time("train")) > 0);
      assert.ok((await server.time("encode")) > 0);
    } finally {
      await server.close();
    }
  },
});
