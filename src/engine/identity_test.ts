import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "./engine.ts";

Deno.test("zero-copy Identity and Cast keep values alive by reference count", async () => {
  const state = await initEngine({ backend: "wasm" });
  ok(state.kernelsPatched.includes("Identity@wasm:zero-copy"), state.kernelsPatched.join(", "));
  ok(state.kernelsPatched.includes("Cast@wasm:zero-copy"), state.kernelsPatched.join(", "));
  const before = tf.memory().numTensors;
  const x = tf.tensor1d([1.5, -2, 3]);
  const copy = tf.clone(x); // Identity kernel
  const same = tf.cast(x, "float32"); // Cast to the same dtype
  const ints = tf.cast(x, "int32"); // a real conversion: stock kernel
  x.dispose();
  deepStrictEqual([...copy.dataSync()], [1.5, -2, 3]);
  deepStrictEqual([...same.dataSync()], [1.5, -2, 3]);
  deepStrictEqual([...ints.dataSync()], [1, -2, 3]);
  strictEqual(ints.dtype, "int32");
  copy.dispose();
  deepStrictEqual([...same.dataSync()], [1.5, -2, 3]);
  tf.dispose([same, ints]);
  strictEqual(tf.memory().numTensors, before);
});

Deno.test("gradients through cast and clone on patched wasm are unchanged", async () => {
  await initEngine({ backend: "wasm" });
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.clone(tf.cast(t, "float32")), t)))(
    tf.tensor1d([1, 2, 3]),
  );
  deepStrictEqual([...g.dataSync()], [2, 4, 6]);
});
