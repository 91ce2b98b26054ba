import assert from "node:assert/strict";
import { join } from "node:path";
import {
  createDualEncoder,
  disposeParameters,
  embed,
  l2Normalize,
  loadModelDir,
  modelHash,
} from "../models/mod.ts";
import { OnnxTextEncoder } from "../models/onnx/mod.ts";
import { initEngine } from "../engine/mod.ts";
import { padSequences } from "../distill/train/mod.ts";
import { captureIo, runTask, type TaskOutput } from "../testing/mod.ts";
import { main, parseTeacherArgs } from "./teacher.ts";

Deno.test("teacher CLI: usage errors exit 2 with one line and no stack; --help exits 0", async () => {
  const cases: [string[], RegExp][] = [
    [[], /missing --data ID\|DIR/],
    [["--data", "d"], /missing --out DIR/],
    [["--data", "d", "--out", "o", "--kind", "big"], /--kind must be one of dual, cross/],
    [["--data", "d", "--out", "o", "--steps", "0"], /--steps must be an integer >= 1, found "0"/],
    [["--data", "d", "--out", "o", "--steps", "5", "--epochs", "2"], /cannot both be given/],
    [["--data", "d", "--out", "o", "--scorer", "cls"], /--scorer does not apply to --kind dual/],
    [["--data", "d", "--out", "o", "--hidden", "30", "--heads", "4"], /not divisible/],
    [["--data", "d", "--out", "o", "--resume", "--overwrite"], /cannot both be given/],
    [["--data", "d", "--out", "o", "--backend", "gpu"], /--backend "gpu"/],
    [["--data", "d", "--out", "o", "--bogus"], /bogus/],
  ];
  for (const [args, pattern] of cases) {
    const io = captureIo();
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.match(io.err(), pattern);
    assert.doesNotMatch(io.err(), /\n\s+at /);
  }
  const io = captureIo();
  assert.equal(await main(["--help"], io), 0);
  assert.match(io.out[0]!, /^Usage: deno task teacher/);
});

Deno.test("teacher CLI: flags resolve into settings; --config supplies options and flags override it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-cli-teacher-config-" });
  try {
    const file = join(dir, "teacher.json");
    await Deno.writeTextFile(
      file,
      JSON.stringify({ layers: 3, hidden: 64, kind: "dual", steps: 9 }),
    );
    const parsed = await parseTeacherArgs([
      "--data",
      "synthetic/tiny",
      "--out",
      join(dir, "out"),
      "--config",
      file,
      "--steps",
      "11",
      "--similarity",
      "dot",
      "--pooling",
      "cls",
      "-m",
      "nDCG@10",
      "-m",
      "R@100",
    ]);
    assert.notEqual(parsed, "help");
    if (parsed === "help") return;
    assert.deepEqual(parsed.settings.model, {
      kind: "dual",
      layers: 3,
      hidden: 64,
      pooling: "cls",
      similarity: { kind: "dot" },
    });
    assert.deepEqual(parsed.settings.training?.length, { kind: "steps", steps: 11 });
    assert.deepEqual(parsed.settings.training?.devMeasures, ["nDCG@10", "R@100"]);
    await Deno.writeTextFile(file, JSON.stringify({ layer: 3 }));
    const io = captureIo();
    assert.equal(await main(["--data", "d", "--out", "o", "--config", file], io), 2);
    assert.match(io.err(), /unknown key "layer"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function run(args: string[], cwd: string, home: string): Promise<TaskOutput> {
  return runTask("teacher", args, { userDir: cwd, home });
}

Deno.test("teacher CLI: trains a tiny teacher on synthetic/tiny into a relative --out; the directory loads and its ONNX export matches tfjs; a non-empty --out is refused", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "embeddistill-cli-teacher-" });
  const home = join(cwd, "home");
  try {
    const args = [
      "--data",
      "synthetic/tiny",
      "--out",
      "models/teacher",
      "--layers",
      "1",
      "--hidden",
      "16",
      "--heads",
      "2",
      "--vocab",
      "800",
      "--steps",
      "3",
      "--batch",
      "8",
      "--dev-split",
      "none",
    ];
    const first = await run(args, cwd, home);
    assert.equal(first.code, 0, first.stderr);
    const out = join(cwd, "models", "teacher");
    const fields = new Map(
      first.stdout.trim().split("\n").map((l) => [l.split("\t")[0]!, l.split("\t").slice(1)]),
    );
    assert.equal(fields.get("model_dir")?.[0], out);
    assert.equal(fields.get("steps")?.[0], "3");
    assert.equal(fields.get("kind")?.[0], "dual");
    assert.match(fields.get("engine")?.[0] ?? "", /1 threads/);
    assert.match(first.stderr, /tokenise: 4000 documents/);

    await initEngine({ threads: 1 });
    const stored = await loadModelDir(out);
    assert.equal(modelHash(stored.spec, stored.weights), fields.get("model_hash")?.[0]);
    if (stored.spec.kind !== "dual") throw new Error(`expected a dual encoder`);
    const resolved = JSON.parse(await Deno.readTextFile(join(out, "teacher_config.json")));
    assert.equal(resolved.configHash, fields.get("config_hash")?.[0]);
    assert.equal(resolved.settings.training.batchSize, 8);

    const docs = ["alpha beta gamma", "a longer document about retrieval and distillation"];
    const encoder = await OnnxTextEncoder.load(join(out, "onnx-document"));
    const onnx = await encoder.encodeDocuments(docs);
    const ids = encoder.tokenizeDocuments(docs);
    await encoder.close();
    const model = createDualEncoder(stored.spec, stored.weights);
    const tfjs = l2Normalize(embed(model, "document", padSequences(ids)));
    const expected = tfjs.dataSync();
    tfjs.dispose();
    disposeParameters(model.params);
    for (let i = 0; i < expected.length; i++) {
      assert.ok(Math.abs(onnx.vectors[i]! - expected[i]!) < 1e-4, `element ${i}`);
    }

    const again = await run(args, cwd, home);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already holds files .*: pass --resume .* or --overwrite/);
    assert.doesNotMatch(again.stderr, /\n\s+at /);
    const resumed = await run([...args, "--resume", "--json"], cwd, home);
    assert.equal(resumed.code, 0, resumed.stderr);
    const summary = JSON.parse(resumed.stdout);
    assert.equal(summary.provenance.modelHash, fields.get("model_hash")?.[0]);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
