import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { synthetic } from "../data/mod.ts";
import { encoderConfig, teacherSpec, tinyTask } from "../testing/mod.ts";
import { initModelWeights, loadModelDir, type ModelSpec, saveModelDir } from "../models/mod.ts";
import { OnnxEncoder } from "../models/onnx/mod.ts";
import { saveTokenizerJson } from "../text/mod.ts";
import { type DistillIo, main } from "./distill.ts";
import { parseDistillArgs, parseLossTerms, UsageError } from "./distill_options.ts";

const CLI = fileURLToPath(new URL("./distill.ts", import.meta.url));
const ROOT = dirname(dirname(dirname(CLI)));

function capture(): DistillIo & { out: string[]; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err: () => err.join(""),
    stdout: (l) => out.push(l),
    progress: { tty: false, write: (t) => err.push(t) },
  };
}

/** A tiny teacher model directory and a BEIR folder of synthetic data, in a temp dir. */
async function fixture(): Promise<{ root: string; teacher: string; data: string }> {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-cli-distill-" });
  const task = tinyTask({ train: 60, documents: 1200, dev: 12 });
  const spec = teacherSpec(task, encoderConfig(task.vocabSize, 16, 2, 2));
  const teacher = join(root, "teacher");
  await saveModelDir(teacher, spec, initModelWeights(spec, 3));
  await saveTokenizerJson(join(teacher, "tokenizer.json"), task.tokenizer.config);
  const data = join(root, "data");
  for (const [path, text] of synthetic.syntheticFiles(task.dataset)) {
    await Deno.mkdir(dirname(join(data, path)), { recursive: true });
    await Deno.writeTextFile(join(data, path), text);
  }
  return { root, teacher, data };
}

Deno.test("distill CLI: usage errors exit 2 with one line and no stack; --help exits 0", async () => {
  const cases: [string[], RegExp][] = [
    [[], /missing --teacher DIR/],
    [["--teacher", "t", "--data", "d"], /missing --out DIR/],
    [["--teacher", "t", "--data", "d", "--out", "o", "--student", "big"], /--student must be/],
    [
      ["--teacher", "t", "--data", "d", "--out", "o", "--steps", "0"],
      /--steps must be an integer >= 1, found "0"/,
    ],
    [
      ["--teacher", "t", "--data", "d", "--out", "o", "--init", "teacher-layers:x"],
      /--init must be/,
    ],
    [
      [
        "--teacher",
        "t",
        "--data",
        "d",
        "--out",
        "o",
        "--init",
        "teacher-layers:0",
        "--layers",
        "1",
      ],
      /cannot be used with --init teacher-layers/,
    ],
    [
      ["--teacher", "t", "--data", "d", "--out", "o", "--loss", "kd"],
      /--loss term "kd" is not one of/,
    ],
    [["--teacher", "t", "--data", "d", "--out", "o", "--loss", "score-kd,score-kd"], /used twice/],
    [
      ["--teacher", "t", "--data", "d", "--out", "o", "--loss", "missing.json"],
      /--loss file "missing.json" does not exist/,
    ],
    [["--teacher", "t", "--data", "d", "--out", "o", "--backend", "gpu"], /backend/],
    [["--teacher", "t", "--data", "d", "--out", "o", "--bogus"], /bogus/],
  ];
  for (const [args, message] of cases) {
    const io = capture();
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.match(io.err(), message);
    assert.match(io.err(), /^distill: .*\nUsage: deno task distill/);
    assert.doesNotMatch(io.err(), /\n {4}at /);
    assert.deepEqual(io.out, []);
  }
  const help = capture();
  assert.equal(await main(["-h"], help), 0);
  assert.match(help.out[0]!, /--teacher DIR/);
});

Deno.test("distill CLI: loss terms map to the recipe; embed-match covers both sides when symmetric", () => {
  assert.deepEqual(parseLossTerms("score-kd,embed-match", "asymmetric"), {
    terms: [{ kind: "score-kd" }, { kind: "embed-match", side: "query" }],
  });
  assert.deepEqual(parseLossTerms("one-hot=0.5,embed-match=2", "symmetric"), {
    terms: [
      { kind: "one-hot", weight: 0.5 },
      { kind: "embed-match", side: "query", weight: 2 },
      { kind: "embed-match", side: "document", weight: 2 },
    ],
  });
  assert.throws(() => parseLossTerms("score-kd=x", "asymmetric"), UsageError);
  const parsed = parseDistillArgs(["--teacher", "t", "--data", "d", "--out", "o", "--seed", "7"]);
  assert.ok(parsed !== "help");
  assert.deepEqual(parsed.init, { kind: "random", seed: 7 });
  assert.equal(parsed.devSplit, "auto");
  assert.equal(parsed.steps, 1000);
});

Deno.test("distill CLI: a bad teacher directory exits 1 with a clear message", async () => {
  const { root, data } = await fixture();
  try {
    const io = capture();
    const empty = join(root, "empty");
    await Deno.mkdir(empty);
    assert.equal(await main(["--teacher", empty, "--data", data, "--out", join(root, "o")], io), 1);
    assert.equal(
      io.err(),
      `distill: Cannot use teacher "${empty}": expected a model directory with config.json, model.safetensors and tokenizer.json, found no config.json\n`,
    );
    assert.deepEqual(io.out, []);
    await Deno.writeFile(join(empty, "model.onnx"), new Uint8Array(1));
    const onnxOnly = capture();
    assert.equal(
      await main(["--teacher", empty, "--data", data, "--out", join(root, "o")], onnxOnly),
      1,
    );
    assert.match(
      onnxOnly.err(),
      /it holds an ONNX encoder but distillation needs the teacher's weights/,
    );
    const noData = capture();
    const { teacher } = { teacher: join(root, "teacher") };
    assert.equal(
      await main(
        ["--teacher", teacher, "--data", join(root, "nope"), "--out", join(root, "o")],
        noData,
      ),
      1,
    );
    assert.match(
      noData.err(),
      /Cannot read the BEIR dataset ".*nope": ".*corpus\.jsonl" does not exist\n$/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("distill CLI: end to end on a tiny teacher, JSON summary on stdout, plain progress on stderr", async () => {
  const { root, teacher, data } = await fixture();
  try {
    const out = join(root, "student");
    const io = capture();
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
      "4",
      "--batch",
      "8",
      "--eval-every",
      "2",
      "--loss",
      "score-kd,embed-match",
      "--threads",
      "1",
      "--seed",
      "5",
      "--home",
      join(root, "home"),
      "--json",
    ]; // deno-fmt-ignore
    assert.equal(await main(args, io), 0, io.err());
    const summary = JSON.parse(io.out.join("\n"));
    assert.equal(summary.modelDir, out);
    assert.equal(summary.steps, 4);
    assert.deepEqual(summary.evals.map((e: { step: number }) => e.step), [2, 4]);
    assert.deepEqual(Object.keys(summary.dev).sort(), ["RR@10", "nDCG@10"]);
    assert.equal(summary.best.measure, "RR@10");
    assert.equal(summary.dev["RR@10"], summary.best.value);
    const stored = await loadModelDir(out);
    assert.equal(stored.spec.kind, "dual");
    const encoder = await OnnxEncoder.load(summary.onnx.query);
    await encoder.close();
    const err = io.err();
    assert.match(err, /^engine: tfjs .* threads 1 /);
    assert.match(err, /data: 1200 documents, 60 training queries, 12 dev queries\n/);
    assert.match(err, /train: 25\.0% 1\/4 loss [0-9.e-]+ embed-query [0-9.e-]+ score-kd [0-9.e-]+/);
    assert.match(err, /eval step 2: RR@10 [0-9.]+ nDCG@10 [0-9.]+/);
    assert.match(err, /train: 100\.0% 4\/4 /);
    assert.doesNotMatch(err, /\r/);
    const record = JSON.parse(await Deno.readTextFile(join(out, "distill_run.json")));
    assert.deepEqual(record.args, args);
    assert.equal(record.engine.threads, 1);
    assert.equal(record.student.encoder.numLayers, 1);

    // --resume picks the finished run up from its last checkpoint and reports the same result.
    const again = capture();
    assert.equal(await main([...args, "--resume"], again), 0, again.err());
    assert.match(again.err(), /resumed at step 4 from .*step-0+4\n/);
    assert.equal(JSON.parse(again.out.join("\n")).finalLoss, summary.finalLoss);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("distill CLI: `deno task distill` permissions suffice (symmetric, teacher-layers, text summary)", async () => {
  const { root, teacher, data } = await fixture();
  try {
    const tasks = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).tasks;
    const command: string[] = tasks.distill.command.split(" ");
    assert.deepEqual(command.slice(0, 2), ["deno", "run"]);
    const out = join(root, "student");
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        ...command.slice(1, -1),
        "--no-check",
        join(ROOT, command.at(-1)!),
        "--teacher",
        teacher,
        "--data",
        data,
        "--out",
        out,
        "--student",
        "symmetric",
        "--init",
        "teacher-layers:1",
        "--steps",
        "2",
        "--batch",
        "8",
        "--dev-split",
        "none",
        "--no-onnx",
        "--home",
        join(root, "home"),
      ], // deno-fmt-ignore
      env: { EMBEDDISTILL_THREADS: "1", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const stderr = decoder.decode(output.stderr);
    assert.equal(output.code, 0, stderr);
    const lines = decoder.decode(output.stdout).trim().split("\n");
    assert.equal(lines[0], `model_dir\t${out}`);
    assert.equal(lines[1], "steps\t2");
    assert.match(lines[2]!, /^final_loss\t[0-9.]+$/);
    assert.match(lines[3]!, /^teacher_hash\t[0-9a-f]+$/);
    assert.match(stderr, /data: 1200 documents, 60 training queries, 0 dev queries/);
    const stored = await loadModelDir(out);
    assert.ok(stored.spec.kind === "dual" && stored.spec.towers.kind === "shared");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("distill CLI: a cross-encoder teacher directory distils an asymmetric student", async () => {
  const { root, teacher, data } = await fixture();
  try {
    const stored = await loadModelDir(teacher);
    assert.ok(stored.spec.kind === "dual" && stored.spec.towers.kind === "shared");
    const spec: ModelSpec = {
      kind: "cross",
      encoder: stored.spec.towers.tower.encoder,
      scorer: { kind: "dual-pooling", includeSpecialTokens: false },
      maxLength: 96,
    };
    const ce = join(root, "ce");
    await saveModelDir(ce, spec, initModelWeights(spec, 4));
    await Deno.copyFile(join(teacher, "tokenizer.json"), join(ce, "tokenizer.json"));
    const io = capture();
    const out = join(root, "student");
    const args = [
      "--teacher",
      ce,
      "--data",
      data,
      "--out",
      out,
      "--layers",
      "1",
      "--hidden",
      "8",
      "--steps",
      "2",
      "--batch",
      "8",
      "--hard-negatives",
      "2",
      "--dev-split",
      "none",
      "--threads",
      "1",
      "--home",
      join(root, "home"),
    ]; // deno-fmt-ignore
    assert.equal(await main(args, io), 0, io.err());
    assert.match(io.err(), /cross-encoder scoring: 100\.0% /);
    assert.deepEqual(io.out.map((l) => l.split("\t")[0]), [
      "model_dir",
      "onnx_query",
      "document_embeddings",
      "steps",
      "final_loss",
      "teacher_hash",
    ]);
    await Deno.stat(join(out, "document-embeddings.safetensors"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
