// deno-lint-ignore-file no-console
/**
 * The suite against its PyTorch peer, in one run:
 *   forward     a random BERT checkpoint (safetensors + config.json, HF names) encoded by the tfjs
 *               encoder (src/models) and by PyTorch (bert_forward.py); prints max abs differences
 *               of last hidden states and pooled embeddings; exit 1 above 1e-4.
 *   train-step  seconds per training step of the dual encoder (4 layers / hidden 256 /
 *               seq 32 / batch 64, in-batch softmax loss, Adam) in PyTorch (train_step.py) and in
 *               tfjs on the engine (tf.train.adam and the engine's FusedAdam), interleaved, with
 *               the ratios.
 *
 * Usage: deno run -A bench/peers/peer_compare.ts forward [--layers 2 --hidden 64 --heads 4
 *        --vocab 500 --seq 16 --batch 4] | train-step [--towers shared|separate --steps 3
 *        --rounds 2 --pooling cls|mean --optimizer both|fused|tfjs]
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { describeEngine, FusedAdam, initEngine } from "../../src/engine/mod.ts";
import {
  type BertConfig,
  bertForward,
  bertInputs,
  createDualEncoder,
  type DualEncoderSpec,
  initBertWeights,
  initModelWeights,
  scoreBatches,
  toHfConfig,
  type TokenBatch,
  writeSafetensorsFile,
} from "../../src/models/mod.ts";
import { findTorchPython, torchForward, torchTrainStep } from "./torch_peer.ts";
import { BERT_MINI } from "../bert_mini.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    layers: { type: "string" },
    hidden: { type: "string" },
    heads: { type: "string" },
    vocab: { type: "string" },
    seq: { type: "string" },
    batch: { type: "string" },
    towers: { type: "string", default: "separate" },
    pooling: { type: "string", default: "cls" },
    steps: { type: "string", default: "3" },
    rounds: { type: "string", default: "2" },
    threads: { type: "string", default: "1" },
    optimizer: { type: "string", default: "both" },
  },
});
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const mode = positionals[0];
if (mode !== "forward" && mode !== "train-step") {
  console.error("usage: peer_compare.ts forward|train-step [options] (see the file header)");
  Deno.exit(2);
}
const peer = await findTorchPython();
if (peer.kind === "absent") {
  console.error(`PyTorch peer unavailable: ${peer.reason}`);
  Deno.exit(1);
}
const threads = num(values.threads, 1);
const engine = await initEngine({ threads });
console.log(`engine: ${describeEngine(engine)}`);
console.log(`peer: ${peer.python}, torch ${peer.torch}`);

function lcg(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

async function forward(): Promise<number> {
  const config: BertConfig = {
    vocabSize: num(values.vocab, 500),
    hiddenSize: num(values.hidden, 64),
    numLayers: num(values.layers, 2),
    numHeads: num(values.heads, 4),
    intermediateSize: 4 * num(values.hidden, 64),
    maxPositions: 64,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
  };
  const [b, s] = [num(values.batch, 4), num(values.seq, 16)];
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-peer-" });
  try {
    const weights = initBertWeights(config, 7);
    const weightsPath = join(dir, "model.safetensors");
    const configPath = join(dir, "config.json");
    await writeSafetensorsFile(weightsPath, weights);
    await Deno.writeTextFile(configPath, JSON.stringify(toHfConfig(config)));
    const rand = lcg(11);
    // Rows of different lengths (padding at the end), segment 1 on the second half of tokens.
    const lengths = Array.from({ length: b }, (_, i) => Math.max(2, s - 3 * i));
    const rows = (f: (i: number, t: number) => number) =>
      Array.from({ length: b }, (_, i) => Array.from({ length: s }, (_, t) => f(i, t)));
    const inputIds = rows((i, t) => (t < lengths[i]! ? rand(config.vocabSize) : 0));
    const attentionMask = rows((i, t) => (t < lengths[i]! ? 1 : 0));
    const tokenTypeIds = rows((i, t) => (t >= lengths[i]! / 2 && t < lengths[i]! ? 1 : 0));
    const batch: TokenBatch = {
      shape: [b, s],
      inputIds: inputIds.flat(),
      attentionMask: attentionMask.flat(),
      tokenTypeIds: tokenTypeIds.flat(),
    };
    const ours = tf.tidy(() => {
      const params = new Map(
        [...weights].map(([name, t]) => [name, tf.tensor(t.data, [...t.shape])]),
      );
      return bertForward(config, params, bertInputs(batch)).arraySync() as number[][][];
    });
    let worst = 0;
    for (const float64 of [false, true]) {
      const theirs = await torchForward({
        weights: weightsPath,
        config: configPath,
        batch: { inputIds, attentionMask, tokenTypeIds },
        pooling: "cls",
        float64,
        hidden: true,
      });
      let hidden = 0;
      let hiddenTokens = 0;
      ours.forEach((row, i) =>
        row.forEach((vec, t) =>
          vec.forEach((v, j) => {
            const d = Math.abs(v - theirs.lastHiddenState![i]![t]![j]!);
            hidden = Math.max(hidden, d);
            if (attentionMask[i]![t] === 1) hiddenTokens = Math.max(hiddenTokens, d);
          })
        )
      );
      console.log(
        `forward ${config.numLayers}L/H${config.hiddenSize}, batch ${b} x seq ${s} with padding: ` +
          `max |tfjs - torch ${float64 ? "float64" : "float32"}| = ${hidden.toExponential(2)} ` +
          `(unpadded tokens ${hiddenTokens.toExponential(2)})`,
      );
      worst = Math.max(worst, hidden);
    }
    console.log(worst < 1e-4 ? "OK: max abs diff < 1e-4" : "FAIL: max abs diff >= 1e-4");
    return worst < 1e-4 ? 0 : 1;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function trainStep(): Promise<number> {
  const towers = values.towers === "shared" ? "shared" : "separate";
  const pooling = values.pooling === "mean" ? "mean" : "cls";
  const encoder: BertConfig = BERT_MINI;
  const [batchSize, seq] = [64, 32];
  const spec: DualEncoderSpec = {
    kind: "dual",
    towers: towers === "shared"
      ? { kind: "shared", tower: { encoder } }
      : { kind: "separate", query: { encoder }, document: { encoder } },
    pooling,
    similarity: { kind: "dot" },
    queryMaxLength: seq,
    documentMaxLength: seq,
  };
  const rand = lcg(3);
  const batch = (): TokenBatch => ({
    shape: [batchSize, seq],
    inputIds: Array.from({ length: batchSize * seq }, () => rand(encoder.vocabSize)),
    attentionMask: new Array(batchSize * seq).fill(1),
  });
  const eye = tf.eye(batchSize);
  const optimizers: [string, () => tf.Optimizer][] = [
    ["tfjs (tf.train.adam)", () => tf.train.adam(1e-4)],
    ["tfjs (engine FusedAdam)", () => new FusedAdam(1e-4)],
  ];
  const chosen = optimizers.filter(([name]) =>
    values.optimizer === "both" || name.includes(values.optimizer === "fused" ? "Fused" : "train")
  );
  const runners = chosen.map(([name, make]) => {
    const model = createDualEncoder(spec, initModelWeights(spec, 1));
    const optimizer = make();
    const step = () => {
      const [q, d] = [batch(), batch()];
      const t0 = performance.now();
      tf.tidy(() =>
        optimizer.minimize(() => {
          const scores = scoreBatches(model, q, d);
          const diagonal = tf.sum(tf.mul(scores, eye), 1);
          return tf.mean(tf.sub(tf.logSumExp(scores, 1), diagonal));
        }, true)!.dataSync()
      );
      return (performance.now() - t0) / 1000;
    };
    step();
    return { name, step, times: [] as number[] };
  });
  const steps = num(values.steps, 3);
  const theirs: number[] = [];
  for (let round = 0; round < num(values.rounds, 2); round++) {
    for (const r of runners) for (let i = 0; i < steps; i++) r.times.push(r.step());
    const peerRun = await torchTrainStep({ towers, pooling, threads, steps, warmup: 1 });
    theirs.push(...peerRun.stepSeconds);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const mt = median(theirs);
  console.log(
    `train step 4L/H256/S32, batch 64 x 2 towers (${towers}), ${pooling} pooling, in-batch ` +
      `softmax, Adam, ${threads} thread(s), seconds per step (median, min):`,
  );
  console.log(
    `  pytorch ${peer.kind === "found" ? peer.torch : ""}: ${mt.toFixed(3)} (min ${
      Math.min(...theirs).toFixed(3)
    })`,
  );
  for (const r of runners) {
    const mo = median(r.times);
    console.log(
      `  ${r.name}: ${mo.toFixed(3)} (min ${Math.min(...r.times).toFixed(3)}); tfjs/pytorch ${
        (mo / mt).toFixed(2)
      }`,
    );
  }
  return 0;
}

Deno.exit(mode === "forward" ? await forward() : await trainStep());
