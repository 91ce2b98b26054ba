import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSplit } from "../data/mod.ts";
import { compareRanked, evaluate, parseMeasure, readRun } from "../eval/mod.ts";
import { initModelWeights, loadModelDir, modelHash, writeTeacherRecord } from "../models/mod.ts";
import { exportOnnxTowers, OnnxTextEncoder } from "../models/onnx/mod.ts";
import { encoderConfig, searchFixture, teacherSpec } from "../testing/mod.ts";
import {
  bm25Retriever,
  bm25Run,
  Bm25Searcher,
  buildBm25Index,
  denseRetriever,
  evaluateRetriever,
  loadPairScorer,
  modelRetriever,
  rerankRetriever,
} from "./mod.ts";

const MEASURES = ["nDCG@10", "RR@10", "R@20"];

function runRankings(run: Awaited<ReturnType<typeof readRun>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  run.queryIds.forEach((q, i) => {
    const ids: string[] = [];
    const decoder = new TextDecoder();
    for (let e = run.queryStart[i]!; e < run.queryStart[i + 1]!; e++) {
      ids.push(
        decoder.decode(run.docIdBytes.subarray(run.docIdStart[e]!, run.docIdStart[e + 1]!)),
      );
    }
    out.set(q, ids);
  });
  return out;
}

Deno.test("evaluateRetriever: a dense model's run is brute-force exact search; its corpus store is cached by encoder hash + checksum", async () => {
  const fx = await searchFixture();
  const home = join(fx.root, "home");
  try {
    const split = await loadSplit({ kind: "dir", path: fx.data }, "test");
    const retriever = await denseRetriever(fx.teacher, { home });
    assert.ok(retriever.query.dir.startsWith(join(home, "artifacts")), retriever.query.dir);
    const runPath = join(fx.root, "out", "dense.trec");
    const options = {
      home,
      runPath,
      k: 20,
      searcher: "ts" as const,
      latency: { warmup: 2, maxQueries: 10 },
    };
    const first = await evaluateRetriever(retriever, split, MEASURES, options);
    assert.ok(first.index !== null);
    assert.equal(first.index.cached, false);
    assert.equal(first.index.documents, split.corpus.length);
    assert.equal(first.index.dims, 16);
    assert.equal(first.index.fp32Bytes, split.corpus.length * 16 * 4);
    assert.equal(first.index.fp16Bytes, split.corpus.length * 16 * 2);
    assert.ok(first.index.encoding!.documentsPerSecond > 0);

    // The written run scores as reported.
    const written = await readRun(runPath);
    const again = evaluate(split.qrels, written, MEASURES.map(parseMeasure));
    assert.deepEqual(
      Object.fromEntries(again.map((r) => [r.name, r.mean])),
      first.aggregates,
    );
    assert.equal(first.results[0]!.perQuery.size, split.queries.length);

    // Brute force: every score, ranked by score then document id descending.
    const encoder = await OnnxTextEncoder.load(retriever.query.dir);
    try {
      const q = await encoder.encodeQueries(split.queries.map((x) => x.text));
      const d = await encoder.encodeDocuments(split.corpus);
      const ranked = runRankings(written);
      split.queries.forEach((query, i) => {
        const scores = split.corpus.map((doc, j) => {
          let s = 0;
          for (let c = 0; c < 16; c++) s += q.vectors[i * 16 + c]! * d.vectors[j * 16 + c]!;
          return { docId: doc.id, score: Math.fround(s) };
        }).sort(compareRanked);
        assert.deepEqual(ranked.get(query.id), scores.slice(0, 20).map((s) => s.docId), query.id);
      });
    } finally {
      await encoder.close();
    }

    const latency = first.timings.latency!;
    assert.equal(latency.queries, 10);
    assert.equal(latency.intraOpThreads, 1);
    for (const stage of ["tokenize", "query", "search", "total"]) {
      const p = latency.stages[stage]!;
      assert.ok(p.p50Ms > 0 && p.p50Ms <= p.p95Ms, stage);
    }

    const second = await evaluateRetriever(retriever, split, MEASURES, options);
    assert.equal(second.index!.cached, true);
    assert.equal(second.index!.key, first.index.key);
    assert.deepEqual(second.index!.encoding, first.index.encoding);
    assert.deepEqual(second.aggregates, first.aggregates);
  } finally {
    await Deno.remove(fx.root, { recursive: true });
  }
});

Deno.test("evaluateRetriever: BM25 equals bm25Run; re-ranking orders the first stage's top depth by cross-encoder score", async () => {
  const fx = await searchFixture();
  const home = join(fx.root, "home");
  try {
    const split = await loadSplit({ kind: "dir", path: fx.data }, "test");
    const bm25 = await evaluateRetriever(bm25Retriever(), split, MEASURES, {
      home,
      k: 50,
      latency: { warmup: 1, maxQueries: 5 },
    });
    assert.equal(bm25.index, null);
    const searcher = new Bm25Searcher(await buildBm25Index(split.corpus));
    const expected = evaluate(split.qrels, bm25Run(searcher, split.queries, { k: 50 }), [
      ...MEASURES.map(parseMeasure),
    ]);
    assert.deepEqual(bm25.aggregates, Object.fromEntries(expected.map((r) => [r.name, r.mean])));
    assert.equal(bm25.timings.latency!.stages["total"] !== undefined, true);

    const retriever = await rerankRetriever(bm25Retriever(), fx.crossEncoder, 5);
    const runPath = join(fx.root, "rerank.trec");
    const reranked = await evaluateRetriever(retriever, split, MEASURES, {
      home,
      runPath,
      latency: { warmup: 1, maxQueries: 3 },
    });
    assert.equal(reranked.k, 5);
    const ranked = runRankings(await readRun(runPath));
    const scorer = await loadPairScorer(fx.crossEncoder);
    try {
      const byId = new Map(split.corpus.map((d) => [d.id, d]));
      for (const query of split.queries.slice(0, 8)) {
        const top = searcher.search(query.text, 5);
        const scores = await scorer.score(query.text, top.map((h) => byId.get(h.docId)!));
        const order = top.map((h, i) => ({ docId: h.docId, score: scores[i]! })).sort(
          compareRanked,
        );
        assert.deepEqual(ranked.get(query.id) ?? [], order.map((h) => h.docId), query.id);
      }
    } finally {
      await scorer.close();
    }
    const stages = reranked.timings.latency!.stages;
    assert.ok(stages["first"]!.p50Ms > 0 && stages["rerank"]!.p50Ms > 0);
    await assert.rejects(
      () => rerankRetriever(bm25Retriever(), fx.teacher),
      /expected a cross-encoder/,
    );
  } finally {
    await Deno.remove(fx.root, { recursive: true });
  }
});

Deno.test("modelRetriever: a student recording its teacher searches the teacher's document embeddings (shared cache)", async () => {
  const fx = await searchFixture();
  const home = join(fx.root, "home");
  try {
    const split = await loadSplit({ kind: "dir", path: fx.data }, "test");
    const teacher = await evaluateRetriever(await denseRetriever(fx.teacher, { home }), split, [
      "nDCG@10",
    ], { home, latency: false });
    const student = join(fx.root, "student");
    const spec = teacherSpec(fx.task, encoderConfig(fx.task.vocabSize, 16, 1, 2));
    await exportOnnxTowers(student, spec, initModelWeights(spec, 11), fx.task.tokenizer, {
      document: false,
    });
    const stored = await loadModelDir(fx.teacher);
    const hash = modelHash(stored.spec, stored.weights);
    await writeTeacherRecord(student, { path: fx.teacher, hash });
    const retriever = await modelRetriever(student, { home });
    assert.equal(retriever.kind, "asymmetric");
    const result = await evaluateRetriever(retriever, split, ["nDCG@10"], {
      home,
      latency: { warmup: 1, maxQueries: 4 },
    });
    assert.equal(result.index!.cached, true);
    assert.equal(result.index!.key, teacher.index!.key);
    assert.notDeepEqual(result.aggregates, {});
    await writeTeacherRecord(student, { path: fx.teacher, hash: "0".repeat(64) });
    await assert.rejects(
      () => modelRetriever(student, { home }),
      /has model hash [0-9a-f]{64}, teacher\.json records 0{64}/,
    );
    await writeTeacherRecord(student, { path: join(fx.root, "gone"), hash });
    await assert.rejects(() => modelRetriever(student, { home }), /which does not exist/);
  } finally {
    await Deno.remove(fx.root, { recursive: true });
  }
});
