/**
 * The fixture's reference outputs against the tfjs encoder, and against the independent PyTorch
 * peer (bench/peers/bert_forward.py) when python3 can import torch: max abs diff < 1e-4.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { bertForward } from "./bert.ts";
import { FIXTURE_BATCH, FIXTURE_CONFIG, writeForwardFixture } from "./forward_fixture.ts";
import { loadModelDir } from "./model_dir.ts";
import { disposeParameters, toVariables } from "./parameters.ts";
import { bertInputs } from "./token_batch.ts";
import { findTorchPython } from "../../bench/peers/torch_peer.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const PEER = new URL("../../bench/peers/bert_forward.py", import.meta.url).pathname;

// The interpreter that imports torch (pyenv's python3 may shadow Debian's python3-torch).
const peer = await findTorchPython();

interface Expected {
  last_hidden_state: number[][][];
  cls: number[][];
  mean: number[][];
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

async function withFixture(fn: (dir: string, expected: Expected) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await writeForwardFixture(dir);
    const expected = JSON.parse(await Deno.readTextFile(join(dir, "expected.json"))) as Expected;
    await fn(dir, expected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("forward fixture: tfjs on the saved checkpoint matches the written reference", async () => {
  await withFixture(async (dir, expected) => {
    const { weights } = await loadModelDir(dir);
    const params = toVariables(weights);
    try {
      const [b, s] = [FIXTURE_BATCH.input_ids.length, FIXTURE_BATCH.input_ids[0].length];
      const batch = {
        shape: [b, s] as const,
        inputIds: FIXTURE_BATCH.input_ids.flat(),
        attentionMask: FIXTURE_BATCH.attention_mask.flat(),
        tokenTypeIds: FIXTURE_BATCH.token_type_ids.flat(),
      };
      const got = tf.tidy(
        () => [...bertForward(FIXTURE_CONFIG, params, bertInputs(batch)).dataSync()],
      );
      const diff = maxAbsDiff(got, expected.last_hidden_state.flat(2));
      assert(diff < 1e-5, `max abs diff ${diff}`);
    } finally {
      disposeParameters(params);
    }
  });
});

Deno.test({
  name: "forward fixture: the PyTorch peer computes the same embeddings (max abs diff < 1e-4)",
  ignore: peer.kind === "absent",
  fn: async () => {
    await withFixture(async (dir, expected) => {
      for (const pooling of ["cls", "mean"] as const) {
        const run = await new Deno.Command(peer.kind === "found" ? peer.python : "python3", {
          args: [
            PEER,
            "--weights",
            join(dir, "model.safetensors"),
            "--config",
            join(dir, "config.json"),
            "--batch",
            join(dir, "batch.json"),
            "--pooling",
            pooling,
            "--hidden",
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert(run.success, new TextDecoder().decode(run.stderr));
        const out = JSON.parse(new TextDecoder().decode(run.stdout));
        const pooledDiff = maxAbsDiff(out.pooled.flat(), expected[pooling].flat());
        assert(pooledDiff < 1e-4, `${pooling}: max abs diff ${pooledDiff}`);
        const hiddenDiff = maxAbsDiff(
          out.last_hidden_state.flat(2),
          expected.last_hidden_state.flat(2),
        );
        assert(hiddenDiff < 1e-4, `hidden states: max abs diff ${hiddenDiff}`);
      }
    });
  },
});
