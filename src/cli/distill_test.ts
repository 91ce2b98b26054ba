import assert from "node:assert/strict";
import { join } from "node:path";
import {
  captureIo,
  runTask,
  taskCommand,
  type TeacherOnDisk,
  teacherOnDisk,
  tinyTask,
} from "../testing/mod.ts";
import { initModelWeights, loadModelDir, type ModelSpec, saveModelDir } from "../models/mod.ts";
import { OnnxEncoder } from "../models/onnx/mod.ts";
import { main } from "./distill.ts";
import { parseDistillArgs, parseLossTerms, UsageError } from "./distill_options.ts";

const TASK = tinyTask({ train: 60, documents: 1200, dev: 12 });

function fixture(): Promise<TeacherOnDisk> {
  return teacherOnDisk(TASK, 2, "embeddistill-cli-distill-");
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
      /--loss file ".*missing\.json" does not exist/,
    ],
    [["--teacher", "t", "--data", "d", "--out", "o", "--backend", "gpu"], /backend/],
    [["--teacher", "t", "--data", "d", "--out", "o", "--bogus"], /bogus/],
  ];
  for (const [args, message] of cases) {
    const io = captureIo();
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.match(io.err(), message);
    assert.match(io.err(), /^distill: .*\nUsage: deno task distill/);
    assert.doesNotMatch(io.err(), /\n {4}at /);
    assert.deepEqual(io.out, []);
  }
  const help = captureIo();
  assert.equal(await main(["-h"], help), 0);
  assert.match(help.out[0]!, /--teacher DIR/);
});

Deno.test("distill CLI: loss terms map to the recipe; embed-match covers both sides when symmetric", async () => {
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
  const parsed = await parseDistillArgs([
    "--teacher",
    "t",
    "--data",
    "d",
    "--out",
    "o",
    "--seed",
    "7",
  ]);
  assert.ok(parsed !== "help");
  assert.deepEqual(parsed.init, { kind: "random", seed: 7 });
  assert.equal(parsed.devSplit, "auto");
  assert.equal(parsed.steps, 1000);
});

Deno.test("distill CLI: a bad teacher directory exits 1 with a clear message", async () => {
  const { root, data } = await fixture();
  try {
    const io = captureIo();
    const empty = join(root, "empty");
    await Deno.mkdir(empty);
    assert.equal(await main(["--teacher", empty, "--data", data, "--out", join(root, "o")], io), 1);
    assert.equal(
      io.err(),
      `distill: Cannot use teacher "${empty}": expected a model directory with config.json, model.safetensors and tokenizer.json (or vocab.txt), found no config.json\n`,
    );
    assert.deepEqual(io.out, []);
    await Deno.writeFile(join(empty, "model.onnx"), new Uint8Array(1));
    const onnxOnly = captureIo();
    assert.equal(
      await main(["--teacher", empty, "--data", data, "--out", join(root, "o")], onnxOnly),
      1,
    );
    assert.match(
      onnxOnly.err(),
      /it holds an ONNX encoder but distillation needs the teacher's weights/,
    );
    const noData = captureIo();
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
      /Cannot use ".*nope" as data: it is neither a dataset id of datasets\.lock \(.*synthetic\/tiny.*\) nor an existing folder\n$/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("distill CLI: end to end on a tiny teacher, JSON summary on stdout, plain progress on stderr", async () => {
  const { root, teacher, data } = await fixture();
  try {
    const out = join(root, "student");
    const io = captureIo();
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
    // One short engine line (issue 9); the whole description is in the run record.
    assert.match(err, /^engine: wasm(\+blas)?, 1 thread\n/);
    assert.match(err, /data: 1200 documents, 60 training queries, 12 dev queries\n/);
    assert.match(err, /train: 25\.0% 1\/4 loss [0-9.e-]+ embed-query [0-9.e-]+ score-kd [0-9.e-]+/);
    assert.match(err, /eval step 2: RR@10 [0-9.]+ nDCG@10 [0-9.]+/);
    assert.match(err, /train: 100\.0% 4\/4 /);
    assert.doesNotMatch(err, /\r/);
    const record = JSON.parse(await Deno.readTextFile(join(out, "distill_run.json")));
    assert.deepEqual(record.args, args);
    assert.equal(record.engine.threads, 1);
    assert.match(record.engine.description, /^tfjs .* threads 1 /);
    assert.equal(record.settings.student.encoder.numLayers, 1);
    assert.equal(record.status, "finished");

    // --resume picks the finished run up from its last checkpoint and reports the same result.
    const again = captureIo();
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
    const out = join(root, "student");
    const output = await runTask("distill", [
      ...["--teacher", teacher, "--data", data, "--out", out],
      ...["--student", "symmetric", "--init", "teacher-layers:1", "--steps", "2", "--batch", "8"],
      ...["--dev-split", "none", "--no-onnx", "--home", join(root, "home")],
    ]);
    const stderr = output.stderr;
    assert.equal(output.code, 0, stderr);
    const lines = output.stdout.trim().split("\n");
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
    const io = captureIo();
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
      "model_hash",
      "config_hash",
      "seconds",
    ]);
    await Deno.stat(join(out, "document-embeddings.safetensors"));
    // Its model card says where its documents' embeddings are.
    assert.match(
      await Deno.readTextFile(join(out, "README.md")),
      /document-embeddings\.safetensors/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** Arguments of a 4-step run of a 1-layer student on the fixture. */
function tinyRun(f: { root: string; teacher: string; data: string }, out: string): string[] {
  return [
    "--teacher",
    f.teacher,
    "--data",
    f.data,
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
    "--threads",
    "1",
    "--no-onnx",
    "--home",
    join(f.root, "home"),
  ]; // deno-fmt-ignore
}

/** Every path of `value` (a parsed JSON document) whose value is null. */
function nullPaths(value: unknown, path = "$"): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((x, i) => nullPaths(x, `${path}[${i}]`));
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, x]) =>
      nullPaths(x, `${path}.${k}`)
    );
  }
  return [];
}

Deno.test("distill CLI: an --out holding files is refused (exit 2) without --resume or --overwrite; --overwrite replaces only distill's outputs", async () => {
  const f = await fixture();
  try {
    const out = join(f.root, "student");
    await Deno.mkdir(out);
    await Deno.writeTextFile(join(out, "notes.txt"), "mine\n");
    const refused = captureIo();
    assert.equal(await main(tinyRun(f, out), refused), 2);
    assert.equal(
      refused.err(),
      `distill: --out "${out}" already holds files ("notes.txt"): pass --resume to continue the run there, or --overwrite to replace its outputs\nUsage: deno task distill --teacher DIR --data DIR --out DIR [options]\n`,
    );
    assert.equal(await Deno.readTextFile(join(out, "notes.txt")), "mine\n");
    const both = captureIo();
    assert.equal(await main([...tinyRun(f, out), "--resume", "--overwrite"], both), 2);
    assert.match(both.err(), /--resume and --overwrite cannot be used together/);

    // --overwrite trains afresh: the old checkpoints go (a stale step-4 checkpoint would
    // otherwise be kept), the user's file stays.
    const first = captureIo();
    assert.equal(await main([...tinyRun(f, out), "--overwrite", "--json"], first), 0, first.err());
    const stale = join(out, "checkpoints", "step-00000004", "stale.txt");
    await Deno.writeTextFile(stale, "old run\n");
    const again = captureIo();
    assert.equal(await main(["--seed", "9", ...tinyRun(f, out), "--overwrite"], again), 0);
    assert.doesNotMatch(again.err(), /resumed/);
    await assert.rejects(() => Deno.stat(stale), Deno.errors.NotFound);
    assert.equal(await Deno.readTextFile(join(out, "notes.txt")), "mine\n");
    const record = JSON.parse(await Deno.readTextFile(join(out, "distill_run.json")));
    assert.equal(record.settings.training.seed, 9);
    // A file given as --out is a usage error too.
    const file = captureIo();
    assert.equal(await main(tinyRun(f, join(out, "notes.txt")), file), 2);
    assert.match(file.err(), /--out ".*notes\.txt" is a file, not a folder/);
  } finally {
    await Deno.remove(f.root, { recursive: true });
  }
});

Deno.test("distill CLI: distill_run.json records every resolved default, never null", async () => {
  const f = await fixture();
  try {
    const out = join(f.root, "student");
    const io = captureIo();
    // No --loss, --lr, --warmup or --eval-every: all defaulted.
    assert.equal(await main([...tinyRun(f, out), "--steps", "20"], io), 0, io.err());
    const record = JSON.parse(await Deno.readTextFile(join(out, "distill_run.json")));
    assert.deepEqual(nullPaths(record.settings), []);
    const s = record.settings;
    assert.deepEqual(s.inputs, {
      teacher: f.teacher,
      data: f.data,
      split: "train",
      devSplit: "dev",
    });
    assert.deepEqual(s.loss.terms, [
      {
        kind: "embed-match",
        name: "embed-query",
        weight: 1,
        side: "query",
        distance: "l2",
        eps: 1e-12,
      },
      {
        kind: "score-kd",
        name: "score-kd",
        weight: 1,
        teacherTemperature: 1,
        studentTemperature: 1,
        form: "cross-entropy",
        rescale: "none",
      },
    ]); // deno-fmt-ignore
    assert.deepEqual(s.training.schedule, {
      kind: "linear",
      peak: 5e-4,
      warmupSteps: 2,
      totalSteps: 20,
    });
    assert.equal(s.training.steps, 20);
    assert.equal(s.training.batchSize, 8);
    assert.equal(s.training.seed, 42);
    assert.equal(s.training.evalEvery, 4);
    assert.equal(s.training.checkpointEvery, 4);
    assert.deepEqual(s.training.clip, { kind: "global-norm", maxNorm: 1 });
    assert.equal(s.training.optimizer.kind, "adamw");
    assert.equal(s.training.optimizer.weightDecay, 0.01);
    assert.deepEqual(s.training.dev, {
      kind: "dev",
      measures: ["RR@10", "nDCG@10"],
      select: "RR@10",
      depth: 100,
    });
    assert.deepEqual(s.teacher, { kind: "dual-encoder", hardNegatives: 0, engine: "onnx" });
    assert.deepEqual(s.data, {
      documents: 1200,
      trainQueries: 60,
      trainJudgments: 60,
      devQueries: 12,
    });
    assert.equal(s.exportOnnx, false);
    assert.deepEqual(record.missingDocuments.train, { judgments: 0, documents: 0, firstIds: [] });
  } finally {
    await Deno.remove(f.root, { recursive: true });
  }
});

Deno.test("distill CLI: a killed run resumes; --resume with changed settings is a usage error naming what changed", async () => {
  const f = await fixture();
  try {
    const out = join(f.root, "student");
    const args = [...tinyRun(f, out), "--steps", "200", "--eval-every", "2"];
    const child = (await taskCommand("distill", args)).spawn();
    // Kill it once a checkpoint is on disk (the run record was written before training).
    const latest = join(out, "checkpoints", "latest.json");
    for (let i = 0; i < 600 && !(await Deno.stat(latest).then(() => true, () => false)); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    await child.output();
    const killed = JSON.parse(await Deno.readTextFile(join(out, "distill_run.json")));
    assert.equal(killed.status, "running");
    assert.equal(killed.settings.training.steps, 200);

    const changed = captureIo();
    const other = [...args, "--resume", "--steps", "300", "--lr", "0.001"];
    assert.equal(await main(other, changed), 2);
    assert.match(
      changed.err(),
      /^distill: cannot --resume: the settings differ from those recorded in ".*distill_run\.json" when the run started \(training\.steps: 200 -> 300; training\.schedule\.peak: 0\.0005 -> 0\.001; training\.schedule\.warmupSteps: 20 -> 30; training\.schedule\.totalSteps: 200 -> 300\); resume with the recorded settings, or pass --overwrite to start again\n/m,
    );
    const teacher = captureIo();
    const moved = args.map((a) => (a === f.data ? join(f.root, "data2") : a));
    await Deno.rename(f.data, join(f.root, "data2"));
    assert.equal(await main([...moved, "--resume"], teacher), 2);
    assert.match(teacher.err(), /inputs\.data: ".*data" -> ".*data2"/);
    await Deno.rename(join(f.root, "data2"), f.data);

    // The same settings resume from the last checkpoint (a thread count is not a setting).
    const resumed = captureIo();
    assert.equal(await main([...args, "--resume", "--threads", "2"], resumed), 0, resumed.err());
    assert.match(resumed.err(), /resumed at step [1-9][0-9]* from /);
    const finished = JSON.parse(await Deno.readTextFile(join(out, "distill_run.json")));
    assert.equal(finished.status, "finished");
    assert.equal(finished.summary.steps, 200);
  } finally {
    await Deno.remove(f.root, { recursive: true });
  }
});

Deno.test("distill CLI: qrels lines naming documents not in the corpus are reported on stderr and in distill_run.json", async () => {
  const f = await fixture();
  try {
    const train = join(f.data, "qrels", "train.tsv");
    await Deno.writeTextFile(train, "q000\tghost-1\t1\nq001\tghost-2\t1\nq002\tghost-1\t0\n", {
      append: true,
    });
    await Deno.writeTextFile(join(f.data, "qrels", "dev.tsv"), "q005\tghost-9\t1\n", {
      append: true,
    });
    const out = join(f.root, "student");
    const io = captureIo();
    assert.equal(await main(tinyRun(f, out), io), 0, io.err());
    assert.match(
      io.err(),
      /\ndata: 3 judgments of the "train" qrels name 2 documents that are not in the corpus \(first: "ghost-1", "ghost-2"\); left out of training\n/,
    );
    assert.match(
      io.err(),
      /\ndata: 1 judgment of the dev qrels names 1 document that is not in the corpus \(first: "ghost-9"\); they count as relevant documents no student can retrieve\n/,
    );
    const record = JSON.parse(await Deno.readTextFile(join(out, "distill_run.json")));
    assert.deepEqual(record.missingDocuments, {
      train: { judgments: 3, documents: 2, firstIds: ["ghost-1", "ghost-2"] },
      dev: { judgments: 1, documents: 1, firstIds: ["ghost-9"] },
    });
    assert.equal(record.settings.data.trainJudgments, 60);
  } finally {
    await Deno.remove(f.root, { recursive: true });
  }
});

Deno.test("distill CLI: the engine is one short line at the start; --verbose adds the whole description", async () => {
  const f = await fixture();
  try {
    const quiet = captureIo();
    assert.equal(await main(tinyRun(f, join(f.root, "a")), quiet), 0, quiet.err());
    const first = quiet.err().split("\n")[0]!;
    assert.match(first, /^engine: wasm(\+blas)?, 1 thread$/);
    assert.ok(first.length <= 40, first);
    assert.doesNotMatch(quiet.err(), /kernels:/);
    const verbose = captureIo();
    assert.equal(await main([...tinyRun(f, join(f.root, "b")), "--verbose"], verbose), 0);
    assert.match(
      verbose.err(),
      /^engine: wasm(\+blas)?, 1 thread\nengine detail: tfjs .* kernels: /,
    );
    const record = JSON.parse(await Deno.readTextFile(join(f.root, "a", "distill_run.json")));
    assert.equal(record.engine.summary, first.slice("engine: ".length));
    assert.match(record.engine.description, /kernels: .*ORT cpu/);
  } finally {
    await Deno.remove(f.root, { recursive: true });
  }
});
