/**
 * The PyTorch peer against the plain-TypeScript float64 reference: a raw BERT checkpoint, and the
 * forward fixture of src/testing (a model directory) with its written expected outputs.
 */
import assert, { ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BertConfig,
  initBertWeights,
  toHfConfig,
  writeSafetensorsFile,
} from "../../src/models/mod.ts";
import { MICRO_BERT, referenceForward, withForwardFixture } from "../../src/testing/mod.ts";
import { findTorchPython, torchForward } from "./torch_peer.ts";

// The peer needs Debian python3-torch (`deno task setup-peers`); without it the test is ignored.
const peer = await findTorchPython();

Deno.test({
  name: "PyTorch peer forward (float64, bert. prefix) matches the plain-TS float64 reference",
  ignore: peer.kind === "absent",
  fn: async () => {
    const config: BertConfig = { ...MICRO_BERT, vocabSize: 40, maxPositions: 16 };
    const weights = initBertWeights(config, 3, { std: 0.5 });
    const dir = await Deno.makeTempDir({ prefix: "embeddistill-torch-peer-" });
    try {
      const prefixed = new Map([...weights].map(([name, t]) => [`bert.${name}`, t]));
      await writeSafetensorsFile(join(dir, "model.safetensors"), prefixed);
      await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(toHfConfig(config)));
      const batch = {
        inputIds: [[1, 5, 9, 3, 0, 0], [2, 39, 7, 11, 4, 8]],
        attentionMask: [[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]],
        tokenTypeIds: [[0, 0, 1, 1, 0, 0], [0, 0, 0, 1, 1, 1]],
      };
      const theirs = await torchForward({
        weights: join(dir, "model.safetensors"),
        config: join(dir, "config.json"),
        batch,
        float64: true,
        hidden: true,
      });
      const ours = referenceForward(config, weights, batch);
      let err = 0;
      ours.forEach((seq, b) => {
        seq.forEach((v, i) => {
          const t = Math.floor(i / config.hiddenSize);
          if (batch.attentionMask[b]![t] === 0) return; // padded positions: mask constants differ
          const w = theirs.lastHiddenState![b]![t]![i % config.hiddenSize]!;
          err = Math.max(err, Math.abs(v - w));
        });
      });
      ok(err < 1e-9, `max abs difference ${err}`);
      // Pooled `cls` is the first token's state.
      ok(Math.abs(theirs.pooled[1]![3]! - ours[1]![3]!) < 1e-9);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "PyTorch peer reports a bad checkpoint path",
  ignore: peer.kind === "absent",
  fn: async () => {
    await rejects(
      () =>
        torchForward({
          weights: "/nonexistent/model.safetensors",
          config: "/nonexistent/config.json",
          batch: { inputIds: [[1]], attentionMask: [[1]] },
        }),
      /Cannot run the PyTorch peer bert_forward.py: exit code 1/,
    );
  },
});

const PEER = fileURLToPath(new URL("./bert_forward.py", import.meta.url));

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

Deno.test({
  name: "forward fixture: the PyTorch peer computes the same embeddings (max abs diff < 1e-4)",
  ignore: peer.kind === "absent",
  fn: async () => {
    await withForwardFixture(async (dir, expected) => {
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
