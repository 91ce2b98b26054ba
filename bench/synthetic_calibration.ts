// deno-lint-ignore-file no-console
/**
 * Calibration check of a synthetic mini dataset (EXPERIMENTS.md "mini calibration"): trains one
 * dual encoder on the train labels only (in-batch one-hot softmax, Eq. 9, optional BM25 hard
 * negatives) -- a teacher (`--mode teacher`, shared towers, mean pooling, scaled cosine) or a
 * label-only symmetric student built with `buildStudent` (`--mode student`, shared towers, random
 * init, projection to the teacher's width by default) -- then encodes the corpus with the ONNX
 * export (1 intra-op thread), retrieves dev and test by exact top-100 and prints one `RESULT` line:
 * query-tower parameters (with / without the embedding table), steps, seconds, nDCG@10 / RR@10 /
 * R@100 beside BM25 (k1 0.9, b 0.4) on the same split. Compare a teacher's line with BM25 (+0.10)
 * and a 1/10 student's with the teacher's (>= 15 % below).
 *
 *   deno run -A bench/synthetic_calibration.ts --epochs 12 --lr 5e-3 --neg 1 --save /tmp/t.safetensors
 *   deno run -A bench/synthetic_calibration.ts --mode student --teacher /tmp/t.safetensors \
 *     --layers 1 --hidden 32 --steps 1125 --lr 5e-3 --initseed 7
 *
 * BM25 hard negatives: `--neg N` takes N documents per query, fixed for the run, drawn in a seeded
 * shuffle of BM25's top `--negpool` non-relevant documents.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { synthetic } from "../src/data/mod.ts";
import { buildStudent, oneHotLoss } from "../src/distill/mod.ts";
import { train } from "../src/distill/train/trainer.ts";
import type { TrainingExample } from "../src/distill/train/types.ts";
import { describeEngine, initEngine } from "../src/engine/mod.ts";
import { evaluate, parseMeasure, qrelsFromJudgments, runFromRankings } from "../src/eval/mod.ts";
import {
  createDualEncoder,
  type DualEncoderSpec,
  exportDualEncoderTower,
  fromVariables,
  initModelWeights,
  OnnxEncoder,
  readSafetensorsFile,
  writeSafetensorsFile,
} from "../src/models/mod.ts";
import {
  ANSERINI_BM25,
  blocksOf,
  bm25Run,
  Bm25Searcher,
  buildBm25Index,
  createTsBlockSearcher,
  searchBlocks,
} from "../src/retrieval/mod.ts";
import { bertTokenizerConfig, buildWordPieceVocab, WordPieceTokenizer } from "../src/text/mod.ts";

const { values: v } = parseArgs({
  options: {
    mode: { type: "string", default: "teacher" }, // teacher | student
    layers: { type: "string", default: "2" },
    hidden: { type: "string", default: "128" },
    heads: { type: "string", default: "2" },
    ffn: { type: "string" },
    epochs: { type: "string", default: "6" },
    steps: { type: "string" },
    batch: { type: "string", default: "64" },
    lr: { type: "string", default: "1e-3" },
    scale: { type: "string", default: "20" },
    qlen: { type: "string", default: "32" },
    dlen: { type: "string", default: "64" },
    neg: { type: "string", default: "0" }, // BM25 hard negatives per query
    negpool: { type: "string", default: "10" }, // drawn (fixed per query) from BM25 top-negpool non-relevant
    save: { type: "string" }, // teacher weights path
    teacher: { type: "string" }, // for students: teacher safetensors (its spec is rebuilt from flags t*)
    tlayers: { type: "string", default: "2" },
    thidden: { type: "string", default: "128" },
    theads: { type: "string", default: "2" },
    seed: { type: "string", default: "42" },
    initseed: { type: "string", default: "43" },
    variant: { type: "string", default: "msmarco" },
    noeval: { type: "boolean", default: false },
    projection: { type: "string", default: "default" }, // default | on | off
  },
});
const state = await initEngine();
const seed = Number(v.seed);
const qlen = Number(v.qlen), dlen = Number(v.dlen), batchSize = Number(v.batch);
const measures = ["nDCG@10", "RR@10", "R@100"].map(parseMeasure);
const kind = v.variant as synthetic.SyntheticVariant["kind"];
const ds = synthetic.synthesize({ variant: { kind }, seed, sizes: synthetic.SYNTHETIC_SIZES.mini });
const byId = new Map(ds.queries.map((q) => [q.id, q]));
const splitQueries = (s: "train" | "dev" | "test") => ds.splits[s].map((id) => byId.get(id)!);
const qrels = (s: "train" | "dev" | "test") =>
  qrelsFromJudgments(
    ds.qrels[s].map((j) => ({ queryId: j.queryId, docId: j.docId, label: j.score })),
    new Set(ds.splits[s]),
  );
const docText = (d: { title: string; text: string }) =>
  d.title === "" ? d.text : `${d.title} ${d.text}`;
const bm25 = new Bm25Searcher(await buildBm25Index(ds.documents), ANSERINI_BM25);
const bm = (s: "dev" | "test") =>
  evaluate(qrels(s), bm25Run(bm25, splitQueries(s), { k: 100 }), measures).map((r) => r.mean);
const bmTest = bm("test"), bmDev = bm("dev");
const trainQueries = splitQueries("train");
const vocab = buildWordPieceVocab([
  ...ds.documents.map(docText),
  ...trainQueries.map((q) => q.text),
], { size: 4000 });
const tokenizer = new WordPieceTokenizer(bertTokenizerConfig(vocab));
const documents = ds.documents.map((d) => tokenizer.encode(docText(d), { maxLength: dlen }).ids);
const queries = trainQueries.map((q) => tokenizer.encode(q.text, { maxLength: qlen }).ids);
const docIndex = new Map(ds.documents.map((d, i) => [d.id, i]));
const queryIndex = new Map(ds.splits.train.map((id, i) => [id, i]));
let examples: TrainingExample[] = ds.qrels.train.filter((j) => j.score > 0).map((j) => ({
  query: queryIndex.get(j.queryId)!,
  positive: docIndex.get(j.docId)!,
}));
const neg = Number(v.neg);
if (neg > 0) {
  const pool = Number(v.negpool);
  const rel = new Map<string, Set<string>>();
  for (const j of ds.qrels.train) {
    if (j.score > 0) {
      (rel.get(j.queryId) ?? rel.set(j.queryId, new Set()).get(j.queryId)!).add(j.docId);
    }
  }
  let r = seed * 2654435761 % 4294967296;
  const rand = () => ((r = (Math.imul(r, 1664525) + 1013904223) >>> 0) / 4294967296);
  const t = performance.now();
  examples = examples.map((e) => {
    const q = trainQueries[e.query]!;
    const hits = bm25.search(q.text, pool + 5).filter((h) => !rel.get(q.id)!.has(h.docId)).slice(
      0,
      pool,
    ).map((h) => docIndex.get(h.docId)!);
    for (let i = hits.length - 1; i > 0; i--) {
      const k = Math.floor(rand() * (i + 1));
      [hits[i], hits[k]] = [hits[k]!, hits[i]!];
    }
    while (hits.length < neg) hits.push(Math.floor(rand() * documents.length));
    return { ...e, negatives: hits };
  });
  console.error(`mined BM25 negatives in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const layers = Number(v.layers), hidden = Number(v.hidden), heads = Number(v.heads);
const enc = (L: number, H: number, A: number, F?: number) => ({
  vocabSize: vocab.tokens.length,
  hiddenSize: H,
  numLayers: L,
  numHeads: A,
  intermediateSize: F ?? 4 * H,
  maxPositions: Math.max(qlen, dlen),
  typeVocabSize: 2,
  layerNormEps: 1e-12,
});
const teacherSpec = (L: number, H: number, A: number, F?: number): DualEncoderSpec => ({
  kind: "dual",
  towers: { kind: "shared", tower: { encoder: enc(L, H, A, F) } },
  pooling: "mean",
  similarity: { kind: "cosine", scale: Number(v.scale) },
  queryMaxLength: qlen,
  documentMaxLength: dlen,
});
let spec: DualEncoderSpec;
let model;
let trainable;
if (v.mode === "teacher") {
  spec = teacherSpec(layers, hidden, heads, v.ffn ? Number(v.ffn) : undefined);
  model = createDualEncoder(spec, initModelWeights(spec, Number(v.initseed)));
  trainable = model.params;
} else {
  const tspec = teacherSpec(Number(v.tlayers), Number(v.thidden), Number(v.theads));
  const tweights = v.teacher
    ? (await readSafetensorsFile(v.teacher)).tensors
    : initModelWeights(tspec, 1);
  const proj = v.projection === "default" ? undefined : v.projection === "on";
  const st = await buildStudent({ spec: tspec, weights: tweights }, {
    kind: "symmetric",
    towers: "shared",
    encoder: enc(layers, hidden, heads, v.ffn ? Number(v.ffn) : undefined),
    init: { kind: "random", seed: Number(v.initseed) },
    ...(proj === undefined ? {} : { projection: proj }),
  });
  model = st.model;
  spec = model.spec;
  trainable = st.trainable;
  // teacher query tower size for the ratio
  let tAll = 0, tEmb = 0;
  for (const [n, x] of tweights) {
    const c = x.shape.reduce((a, b) => a * b, 1);
    tAll += c;
    if (n.includes("embeddings.")) tEmb += c;
  }
  console.log(`teacher query tower params ${tAll} (without embeddings ${tAll - tEmb})`);
}
let pAll = 0, pEmb = 0;
for (const [n, x] of model.params) {
  if (n.startsWith("document.")) continue;
  const c = x.size;
  pAll += c;
  if (n.includes("embeddings.")) pEmb += c;
}
const steps = v.steps
  ? Number(v.steps)
  : Math.ceil((Number(v.epochs) * examples.length) / batchSize);
console.log(
  `engine ${describeEngine(state)}; ${
    JSON.stringify(v)
  }; vocab ${vocab.tokens.length}; steps ${steps}`,
);
console.log(
  `query tower params ${pAll} (without embeddings ${pAll - pEmb}); names e.g. ${
    [...model.params.keys()].slice(0, 3).join(",")
  }`,
);
const t0 = performance.now();
const result = await train(
  { kind: "symmetric", model, trainable },
  { queries, documents, examples },
  (s) => ({ total: oneHotLoss(s.studentScores), terms: {} }),
  {
    steps,
    batchSize,
    seed,
    learningRate: Number(v.lr),
    diagnosticsEvery: 0,
    negativesPerQuery: neg,
    onEvent: (e) => {
      if (e.kind === "step" && (e.step % 100 === 0 || e.step === steps)) {
        console.error(
          `step ${e.step}/${steps} loss ${e.loss.toFixed(3)} ${
            e.examplesPerSecond.toFixed(0)
          } ex/s eta ${e.etaSeconds.toFixed(0)} s`,
        );
      }
    },
  },
);
const trainSeconds = (performance.now() - t0) / 1000;
const weights = fromVariables(model.params);
if (v.save) await writeSafetensorsFile(v.save, weights);
const f = (x: number) => x.toFixed(3);
if (!v.noeval) {
  const t1 = performance.now();
  const dir = await Deno.makeTempDir({ prefix: "cal-onnx-" });
  const encode = async (side: "query" | "document", seqs: number[][]) => {
    const d = `${dir}/${side}`;
    await exportDualEncoderTower(d, spec, weights, side);
    const e = await OnnxEncoder.load(d, { session: { intraOpThreads: 1, interOpThreads: 1 } });
    try {
      return await e.encode(seqs, { maxLength: side === "query" ? qlen : dlen, batchSize: 64 });
    } finally {
      await e.close();
    }
  };
  const de = await encode("document", documents as number[][]);
  const docMatrix = { ids: ds.documents.map((d) => d.id), dims: de.dims, vectors: de.vectors };
  const encodeSeconds = (performance.now() - t1) / 1000;
  const out: Record<string, number[]> = {};
  for (const s of ["dev", "test"] as const) {
    const qs = splitQueries(s);
    const qe = await encode(
      "query",
      qs.map((q) => tokenizer.encode(q.text, { maxLength: qlen }).ids as number[]),
    );
    const hits = await searchBlocks(
      createTsBlockSearcher(),
      { ids: qs.map((q) => q.id), dims: qe.dims, vectors: qe.vectors },
      blocksOf(docMatrix, 8192),
      { k: 100 },
    );
    out[s] = evaluate(
      qrels(s),
      runFromRankings(hits.map((h) => [h.queryId, h.hits] as const)),
      measures,
    ).map((r) => r.mean);
  }
  await Deno.remove(dir, { recursive: true });
  const last = result.losses.slice(-50);
  console.log(
    `RESULT mode=${v.mode} ${layers}L/H${hidden}/A${heads} params=${pAll}/${
      pAll - pEmb
    } steps=${steps} lr=${v.lr} batch=${batchSize} scale=${v.scale} neg=${neg} train_s=${
      trainSeconds.toFixed(0)
    } enc_s=${encodeSeconds.toFixed(0)} loss=${
      (last.reduce((a, b) => a + b, 0) / last.length).toFixed(3)
    } | test nDCG@10 ${f(out.test![0]!)} RR@10 ${f(out.test![1]!)} R@100 ${
      f(out.test![2]!)
    } | BM25 test ${bmTest.map(f).join(" ")} | dev ${out.dev!.map(f).join(" ")} BM25 dev ${
      bmDev.map(f).join(" ")
    }`,
  );
} else {
  console.log(
    `RESULT mode=${v.mode} ${layers}L/H${hidden} params=${pAll}/${
      pAll - pEmb
    } steps=${steps} train_s=${trainSeconds.toFixed(0)} (no eval)`,
  );
}
tf.disposeVariables();
