import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSplit } from "../data/mod.ts";
import { evaluate, formatFixed, parseMeasure, readRun } from "../eval/mod.ts";
import {
  initModelWeights,
  loadModelDir,
  modelHash,
  type ModelSpec,
  saveModelDir,
} from "../models/mod.ts";
import { OnnxTextEncoder } from "../models/onnx/mod.ts";
import { captureIo, runTask, searchFixture, type TaskOutput } from "../testing/mod.ts";
import { main, parseSearchArgs } from "./search.ts";

/** `deno task NAME` as the user in `userDir`, with the cache at `home`. */
function task(name: string, args: string[], userDir: string, home: string): Promise<TaskOutput> {
  return runTask(name, args, { userDir, home });
}

function values(stdout: string): Map<string, string> {
  return new Map(
    stdout.trim().split("\n").map((l) => {
      const parts = l.split("\t");
      return [parts.length === 3 ? parts[0]! : parts[0]!, parts.at(-1)!] as const;
    }),
  );
}

Deno.test("search CLI: a dense model end to end (relative paths, run + config beside it, measures, latency, sizes); the corpus store is cached", async () => {
  const fx = await searchFixture();
  const home = join(fx.root, "home");
  try {
    const args = [
      "--model",
      "teacher",
      "--data",
      "data",
      "--run",
      "out/teacher.trec",
      "-m",
      "nDCG@10",
      "-m",
      "RR@10",
      "--latency-queries",
      "12",
    ]; // deno-fmt-ignore
    const first = await task("search", args, fx.root, home);
    assert.equal(first.code, 0, first.stderr);
    const runPath = join(fx.root, "out", "teacher.trec");
    const split = await loadSplit({ kind: "dir", path: fx.data }, "test");
    const expected = evaluate(split.qrels, await readRun(runPath), [
      parseMeasure("nDCG@10"),
      parseMeasure("RR@10"),
    ]);
    const lines = first.stdout.trim().split("\n");
    assert.deepEqual(
      lines.slice(0, 2),
      expected.map((r) => `${r.name}\tall\t${formatFixed(r.mean, 4)}`),
    );
    const v = values(first.stdout);
    assert.equal(v.get("run"), runPath);
    assert.equal(v.get("index_cached"), "false");
    assert.equal(v.get("index_bytes_fp32"), String(split.corpus.length * 16 * 4));
    assert.equal(v.get("index_bytes_fp16"), String(split.corpus.length * 16 * 2));
    assert.ok(Number(v.get("encode_docs_per_s")) > 0);
    assert.equal(v.get("latency_queries"), "12");
    for (const stage of ["tokenize", "query", "search", "total"]) {
      assert.ok(Number(v.get(`latency_${stage}_p50_ms`)) > 0, stage);
      assert.ok(
        Number(v.get(`latency_${stage}_p95_ms`)) >= Number(v.get(`latency_${stage}_p50_ms`)),
      );
    }
    const stored = await loadModelDir(fx.teacher);
    assert.ok(stored.spec.kind === "dual");
    assert.equal(
      v.get("params_model_query"),
      String(
        [...stored.weights.values()].reduce((a, t) => a + t.data.length, 0),
      ),
    );
    assert.equal(
      Number(v.get("params_model_query")) - Number(v.get("params_model_query_no_embeddings")),
      fx.task.vocabSize * 16,
    );
    // Progress goes to stderr only.
    assert.match(first.stderr, /encode corpus: 100\.0% /);
    assert.doesNotMatch(first.stdout, /encode corpus/);
    const config = JSON.parse(await Deno.readTextFile(`${runPath}.config.json`));
    assert.equal(config.model, fx.teacher);
    assert.deepEqual(config.data, { kind: "dir", path: fx.data });
    assert.equal(config.split, "test");
    assert.deepEqual(config.measures, ["nDCG@10", "RR@10"]);
    assert.equal(config.retriever.kind, "dense");

    const second = await task("search", [...args, "--json"], fx.root, home);
    assert.equal(second.code, 0, second.stderr);
    const json = JSON.parse(second.stdout);
    assert.equal(json.index.cached, true);
    assert.equal(json.measures["nDCG@10"], expected[0]!.mean);
    assert.equal(Object.keys(json.perQuery["RR@10"]).length, split.queries.length);
    assert.equal(json.timings.latency.queries, 12);
    assert.doesNotMatch(second.stderr, /encode corpus/);
  } finally {
    await Deno.remove(fx.root, { recursive: true });
  }
});

Deno.test("search CLI: a distilled asymmetric student finds its teacher's document side by itself (teacher.json, self-contained ONNX folders)", async () => {
  const fx = await searchFixture();
  const home = join(fx.root, "home");
  try {
    const distilled = await task(
      "distill",
      [
        "--teacher",
        fx.teacher,
        "--data",
        fx.data,
        "--out",
        join(fx.root, "student"),
        "--layers",
        "1",
        "--hidden",
        "8",
        "--heads",
        "2",
        "--steps",
        "2",
        "--batch",
        "8",
        "--dev-split",
        "none",
      ],
      fx.root,
      home,
    ); // deno-fmt-ignore
    assert.equal(distilled.code, 0, distilled.stderr);
    const student = join(fx.root, "student");
    const stored = await loadModelDir(fx.teacher);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(student, "teacher.json"))), {
      path: fx.teacher,
      hash: modelHash(stored.spec, stored.weights),
    });
    for (const side of ["onnx-query", "onnx-document"]) {
      const encoder = await OnnxTextEncoder.load(join(student, side));
      assert.equal((await encoder.encodeQueries(["a query"])).count, 1);
      await encoder.close();
    }

    const teacher = await task(
      "search",
      [
        "--model",
        "teacher",
        "--data",
        "data",
        "--run",
        "t.trec",
        "--latency-queries",
        "0",
      ],
      fx.root,
      home,
    ); // deno-fmt-ignore
    assert.equal(teacher.code, 0, teacher.stderr);
    const searched = await task(
      "search",
      [
        "--model",
        "student",
        "--data",
        "data",
        "--run",
        "s.trec",
        "--latency-queries",
        "5",
      ],
      fx.root,
      home,
    ); // deno-fmt-ignore
    assert.equal(searched.code, 0, searched.stderr);
    const v = values(searched.stdout);
    assert.match(v.get("retriever")!, new RegExp(`^asymmetric\\(.* vs teacher ${fx.teacher}\\)$`));
    assert.equal(v.get("index_cached"), "true");
    assert.equal(v.get("params_teacher_query"), values(teacher.stdout).get("params_model_query"));
    assert.ok(Number(v.get("params_model_query")) < Number(v.get("params_teacher_query")));
    assert.ok(v.has("latency_query_p50_ms"));
    const config = JSON.parse(await Deno.readTextFile(join(fx.root, "s.trec.config.json")));
    assert.equal(config.retriever.kind, "asymmetric");
    assert.equal(config.retriever.teacher.path, fx.teacher);
  } finally {
    await Deno.remove(fx.root, { recursive: true });
  }
});

Deno.test("search CLI: a cross-encoder's asymmetric student searches the document embeddings it ships", async () => {
  const fx = await searchFixture();
  const home = join(fx.root, "home");
  try {
    const stored = await loadModelDir(fx.crossEncoder);
    assert.ok(stored.spec.kind === "cross");
    const spec: ModelSpec = {
      ...stored.spec,
      scorer: { kind: "dual-pooling", includeSpecialTokens: false },
    };
    const ce = join(fx.root, "ce-dual");
    await saveModelDir(ce, spec, initModelWeights(spec, 4));
    await Deno.copyFile(join(fx.crossEncoder, "tokenizer.json"), join(ce, "tokenizer.json"));
    const student = join(fx.root, "student");
    const distilled = await task(
      "distill",
      [
        "--teacher",
        ce,
        "--data",
        fx.data,
        "--out",
        student,
        "--layers",
        "1",
        "--hidden",
        "8",
        "--heads",
        "2",
        "--steps",
        "2",
        "--batch",
        "8",
        "--hard-negatives",
        "2",
        "--dev-split",
        "none",
      ],
      fx.root,
      home,
    ); // deno-fmt-ignore
    assert.equal(distilled.code, 0, distilled.stderr);
    await Deno.stat(join(student, "document-embeddings.safetensors"));
    const searched = await task(
      "search",
      [
        "--model",
        "student",
        "--data",
        "data",
        "--run",
        "s.trec",
        "--latency-queries",
        "3",
      ],
      fx.root,
      home,
    ); // deno-fmt-ignore
    assert.equal(searched.code, 0, searched.stderr);
    const v = values(searched.stdout);
    assert.match(v.get("retriever")!, new RegExp(`^asymmetric\\(.* vs teacher ${ce}\\)$`));
    assert.ok((await readRun(join(fx.root, "s.trec"))).queryIds.length > 0);
    assert.equal(v.get("index_dims"), "16");
    assert.equal(v.get("index_bytes_fp32"), String(Number(v.get("documents")) * 16 * 4));
  } finally {
    await Deno.remove(fx.root, { recursive: true });
  }
});

Deno.test("search CLI: --bm25 --rerank re-ranks the top --depth with a cross-encoder", async () => {
  const fx = await searchFixture();
  try {
    const io = captureIo();
    const run = join(fx.root, "ce.trec");
    const code = await main([
      "--bm25",
      "--rerank",
      fx.crossEncoder,
      "--depth",
      "7",
      "--data",
      fx.data,
      "--run",
      run,
      "--latency-queries",
      "3",
    ], io); // deno-fmt-ignore
    assert.equal(code, 0, io.err());
    const written = await readRun(run);
    written.queryIds.forEach((_, i) => {
      assert.ok(written.queryStart[i + 1]! - written.queryStart[i]! <= 7);
    });
    const v = values(io.out.join("\n"));
    assert.match(v.get("retriever")!, /^rerank\(.*depth 7, bm25/);
    assert.ok(Number(v.get("params_rerank")) > 0);
    assert.ok(Number(v.get("latency_rerank_p50_ms")) > 0);
    assert.match(io.err(), /^engine: /);
  } finally {
    await Deno.remove(fx.root, { recursive: true });
  }
});

Deno.test("search CLI: usage errors exit 2 with one line; failures exit 1 with a clear message", async () => {
  const cases: [string[], RegExp][] = [
    [[], /missing --model DIR \(or --bm25\)/],
    [["--model", "m", "--bm25", "--data", "d", "--run", "r"], /cannot be used together/],
    [["--model", "m", "--run", "r"], /missing --data/],
    [["--model", "m", "--data", "d"], /missing --run FILE/],
    [["--model", "m", "--data", "d", "--run", "r", "-m", "nDCG@x"], /-m nDCG@x: /],
    [["--model", "m", "--data", "d", "--run", "r", "--depth", "5"], /--depth needs --rerank/],
    [["--model", "m", "--data", "d", "--run", "r", "--threads", "0"], /--threads must be/],
    [
      ["--model", "m", "--data", "d", "--run", "r", "--rerank-engine", "tfjs"],
      /--rerank-engine needs --rerank/,
    ],
    [
      ["--bm25", "--data", "d", "--run", "r", "--rerank", "c", "--rerank-engine", "gpu"],
      /--rerank-engine gpu: expected onnx or tfjs/,
    ],
    [["--model", "m", "--bogus"], /bogus/],
  ];
  for (const [args, message] of cases) {
    const io = captureIo();
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.match(io.err(), message);
    assert.match(io.err(), /^search: .*\nUsage: deno task search/);
    assert.deepEqual(io.out, []);
  }
  const root = await Deno.makeTempDir({ prefix: "embeddistill-search-usage-" });
  try {
    const config = join(root, "c.json");
    await Deno.writeTextFile(config, JSON.stringify({ model: "m", data: "d", colour: "red" }));
    const io = captureIo();
    assert.equal(await main(["--config", config, "--run", "r"], io), 2);
    assert.match(io.err(), /unknown key "colour"/);
    const missing = captureIo();
    assert.equal(
      await main(
        ["--model", join(root, "none"), "--data", root, "--run", join(root, "r")],
        missing,
      ),
      1,
    );
    assert.match(missing.err(), /^search: Cannot /);
    assert.doesNotMatch(missing.err(), /\n {4}at /);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("search CLI: --config supplies options and flags override it", async () => {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-search-config-" });
  try {
    const config = join(root, "c.json");
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        model: "m",
        data: "synthetic/tiny",
        run: "/abs/r.trec",
        depth: 5,
        rerank: "/ce",
        measure: ["AP"],
      }),
    );
    const parsed = await parseSearchArgs(["--config", config, "--depth", "9"]);
    assert.ok(parsed !== "help");
    assert.equal(parsed.depth, 9);
    assert.equal(parsed.rerank, "/ce");
    assert.equal(parsed.run, "/abs/r.trec");
    assert.deepEqual(parsed.measures, ["AP"]);
    assert.equal(parsed.configFile, config);
    assert.equal(parsed.split, "test");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
