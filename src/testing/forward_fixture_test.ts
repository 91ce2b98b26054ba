/**
 * The fixture's reference outputs against the tfjs encoder (the PyTorch peer's check of the same
 * fixture is in bench/peers/torch_peer_test.ts).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  bertForward,
  bertInputs,
  disposeParameters,
  loadModelDir,
  toVariables,
} from "../models/mod.ts";
import { FIXTURE_BATCH, FIXTURE_CONFIG, withForwardFixture } from "./forward_fixture.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

Deno.test("forward fixture: tfjs on the saved checkpoint matches the written reference", async () => {
  await withForwardFixture(async (dir, expected) => {
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
