import { ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { type BertConfig, toHfConfig } from "../../src/models/config.ts";
import { initBertWeights } from "../../src/models/init.ts";
import { referenceForward } from "../../src/models/bert_reference.ts";
import { writeSafetensorsFile } from "../../src/models/safetensors.ts";
import { findTorchPython, torchForward } from "./torch_peer.ts";

// The peer needs Debian python3-torch (`deno task setup-peers`); without it the test is ignored.
const peer = await findTorchPython();

Deno.test({
  name: "PyTorch peer forward (float64, bert. prefix) matches the plain-TS float64 reference",
  ignore: peer.kind === "absent",
  fn: async () => {
    const config: BertConfig = {
      vocabSize: 40,
      hiddenSize: 8,
      numLayers: 2,
      numHeads: 2,
      intermediateSize: 16,
      maxPositions: 16,
      typeVocabSize: 2,
      layerNormEps: 1e-12,
    };
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
