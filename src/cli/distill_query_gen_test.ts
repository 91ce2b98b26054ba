import assert from "node:assert/strict";
import { join } from "node:path";
import { loadUnlabelled, POOL_FILE } from "../data/mod.ts";
import type { DistillData } from "../distill/mod.ts";
import { qrelsFromJudgments } from "../eval/mod.ts";
import {
  buildCopyDecoder,
  buildTinyEncoder,
  captureIo,
  type TeacherOnDisk,
  teacherOnDisk,
  TINY_SEQ2SEQ_IDS,
  TINY_SEQ2SEQ_VOCAB,
  tinyTask,
} from "../testing/mod.ts";
import { type DistillSummary, main, RUN_RECORD } from "./distill.ts";
import { userPath } from "./command_args.ts";
import { parseDistillArgs } from "./distill_options.ts";
import { openQueryGenerator } from "./distill_query_gen.ts";

const task = tinyTask({ train: 60, documents: 1200, dev: 12, pool: 100 });

/** A tiny teacher model directory and a BEIR folder of synthetic data (with pool.jsonl). */
function fixture(): Promise<TeacherOnDisk> {
  return teacherOnDisk(task, 1, "embeddistill-cli-qg-");
}

Deno.test("distill CLI: --query-gen, --per-doc and --qg-weight parse; misuse is a usage error (exit 2)", async () => {
  const base = ["--teacher", "t", "--data", "d", "--out", "o"];
  const parsed = await parseDistillArgs([
    ...base,
    "--query-gen",
    "salient",
    "--per-doc",
    "3",
    "--qg-weight",
    "0.5",
  ]);
  assert.ok(parsed !== "help");
  assert.deepEqual(parsed.queryGen, { kind: "salient" });
  assert.equal(parsed.perDoc, 3);
  assert.equal(parsed.qgWeight, 0.5);
  const dir = await parseDistillArgs([...base, "--query-gen", "models/t5"]);
  assert.ok(dir !== "help");
  assert.deepEqual(dir.queryGen, { kind: "seq2seq", dir: userPath("models/t5") });
  assert.equal(dir.perDoc, 1);
  assert.equal(dir.qgWeight, 1);
  const plain = await parseDistillArgs(base);
  assert.ok(plain !== "help");
  assert.equal(plain.queryGen, null);
  const cases: [string[], RegExp][] = [
    [[...base, "--per-doc", "2"], /--per-doc applies with --query-gen only/],
    [[...base, "--qg-weight", "2"], /--qg-weight applies with --query-gen only/],
    [[...base, "--query-gen", ""], /--query-gen must be "salient" or a folder/],
    [[...base, "--query-gen", "salient", "--per-doc", "0"], /--per-doc must be an integer >= 1/],
    [[...base, "--query-gen", "salient", "--qg-weight", "0"], /--qg-weight must be a positive/],
  ];
  for (const [args, message] of cases) {
    const io = captureIo();
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.match(io.err(), message);
    assert.match(io.err(), /^distill: .*\nUsage: deno task distill/);
  }
});

Deno.test("distill CLI: --query-gen salient trains on the pool's generated queries and reports them", async () => {
  const { root, teacher, data } = await fixture();
  try {
    const out = join(root, "student");
    const args = [
      "--teacher",
      teacher,
      "--data",
      data,
      "--out",
      out,
      "--layers",
      "1",
      "--hidden",
      "8",
      "--heads",
      "2",
      "--steps",
      "3",
      "--batch",
      "16",
      "--no-onnx",
      "--home",
      join(root, "home"),
      "--query-gen",
      "salient",
      "--per-doc",
      "2",
      "--qg-weight",
      "0.5",
      "--json",
    ];
    const io = captureIo();
    assert.equal(await main(args, io), 0, io.err());
    const summary = JSON.parse(io.out.join("\n")) as DistillSummary;
    const qg = summary.queryGeneration!;
    assert.equal(qg.documents, task.dataset.pool.length);
    assert.equal(qg.perDocument, 2);
    assert.equal(qg.weight, 0.5);
    assert.match(qg.generator, /^salient-terms:[0-9a-f]{16}$/);
    assert.ok(qg.generated > task.dataset.pool.length, String(qg.generated));
    assert.match(summary.provenance.modelHash, /^[0-9a-f]{64}$/);
    assert.match(summary.provenance.configHash, /^[0-9a-f]{64}$/);
    assert.match(io.err(), /query generation: 100 documents from pool\.jsonl/);
    assert.match(io.err(), /qg\/embed-query/);
    const record = JSON.parse(await Deno.readTextFile(join(out, RUN_RECORD)));
    assert.deepEqual(record.settings.queryGeneration, {
      generator: qg.generator,
      perDocument: 2,
      weight: 0.5,
    });
    // A resume with another weight is refused, naming the change.
    const changed = captureIo();
    const resumed = args.map((a) => (a === "0.5" ? "0.25" : a));
    assert.equal(await main([...resumed, "--resume"], changed), 2);
    assert.match(changed.err(), /queryGeneration/);
    // A missing seq2seq folder is a usage error.
    const missing = captureIo();
    const noDir = args.map((a) => (a === "salient" ? join(root, "no-such-model") : a));
    assert.equal(await main([...noDir.map((a) => a === out ? join(root, "s2") : a)], missing), 2);
    assert.match(missing.err(), /--query-gen must be "salient" or a seq2seq ONNX folder/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadUnlabelled: pool.jsonl when present, else the corpus documents no train or dev judgment names", async () => {
  const { root, data } = await fixture();
  try {
    const ds = task.dataset;
    const qrels = (split: "train" | "dev") =>
      qrelsFromJudgments(
        ds.qrels[split].map((j) => ({ queryId: j.queryId, docId: j.docId, label: j.label })),
      );
    const distillData: DistillData = {
      corpus: ds.documents,
      trainQueries: [],
      trainQrels: qrels("train"),
      devQueries: [],
      devQrels: qrels("dev"),
    };
    const pool = await loadUnlabelled(data, distillData.corpus, [
      distillData.trainQrels,
      distillData.devQrels,
    ]);
    assert.equal(pool.source, POOL_FILE);
    assert.deepEqual(pool.documents.map((d) => d.id), [...ds.pool]);
    await Deno.remove(join(data, POOL_FILE));
    const unjudged = await loadUnlabelled(data, distillData.corpus, [
      distillData.trainQrels,
      distillData.devQrels,
    ]);
    assert.equal(unjudged.source, "unjudged corpus");
    const judged = new Set([...ds.qrels.train, ...ds.qrels.dev].map((j) => j.docId));
    assert.equal(unjudged.documents.length, ds.documents.length - judged.size);
    assert.ok(unjudged.documents.every((d) => !judged.has(d.id)));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("openQueryGenerator opens a seq2seq ONNX folder (config.json ids, vocab.txt)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-cli-seq2seq-" });
  try {
    await Deno.writeFile(join(dir, "encoder_model.onnx"), buildTinyEncoder());
    await Deno.writeFile(join(dir, "decoder_model.onnx"), buildCopyDecoder());
    await Deno.writeTextFile(join(dir, "vocab.txt"), TINY_SEQ2SEQ_VOCAB.join("\n") + "\n");
    await assert.rejects(
      () => openQueryGenerator({ kind: "seq2seq", dir }, 1),
      /cannot read ".*config\.json"/,
    );
    await Deno.writeTextFile(
      join(dir, "config.json"),
      JSON.stringify({
        decoder_start_token_id: TINY_SEQ2SEQ_IDS.bos,
        eos_token_id: TINY_SEQ2SEQ_IDS.eos,
        pad_token_id: TINY_SEQ2SEQ_IDS.pad,
      }),
    );
    const open = await openQueryGenerator({ kind: "seq2seq", dir }, 1);
    try {
      assert.equal(open.generator.config.kind, "seq2seq");
      const out = await open.generator.generate([{ id: "a", title: "", text: "alpha beta gamma" }]);
      assert.deepEqual(out.map((q) => q.text), ["alpha beta gamma"]);
    } finally {
      await open.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
