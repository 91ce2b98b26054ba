import assert from "node:assert/strict";
import { join } from "node:path";
import type { LoadedSplit } from "../../data/mod.ts";
import { deriveSeed } from "../../engine/mod.ts";
import { qrelsFromJudgments } from "../../eval/mod.ts";
import {
  CODE_SALT,
  resolveTeacherSettings,
  teacherAddress,
  teacherConfigHash,
} from "./settings.ts";

function split(name: string, checksum: string): LoadedSplit {
  return {
    source: { kind: "dir", path: "/data" },
    split: name,
    corpus: [],
    queries: [],
    qrels: qrelsFromJudgments([]),
    judgments: [],
    checksum,
    dir: "/data",
  };
}

Deno.test("resolveTeacherSettings: every default is spelled out; invalid values are RangeErrors naming the value", () => {
  const r = resolveTeacherSettings();
  assert.deepEqual(r.model, {
    kind: "dual",
    layers: 2,
    hidden: 128,
    heads: 2,
    intermediate: 512,
    pooling: "mean",
    similarity: { kind: "cosine", scale: 20 },
    towers: "shared",
    queryMaxLength: 32,
    documentMaxLength: 64,
  });
  assert.deepEqual(r.vocabulary, { kind: "build", size: 4000 });
  assert.deepEqual(r.training, {
    length: { kind: "epochs", epochs: 6 },
    batchSize: 64,
    learningRate: 1e-3,
    warmupSteps: null,
    seed: 42,
    initSeed: deriveSeed(42, "teacher-init"),
    hardNegatives: 0,
    negativesFrom: { kind: "bm25" },
    initFrom: null,
    evalEvery: null,
    devMeasures: ["RR@10", "nDCG@10"],
  });
  assert.notEqual(r.training.initSeed, r.training.seed);
  const cross = resolveTeacherSettings({ model: { kind: "cross", hidden: 256 } });
  assert.deepEqual(cross.model, {
    kind: "cross",
    layers: 2,
    hidden: 256,
    heads: 4,
    intermediate: 1024,
    scorer: "cls",
    includeSpecialTokens: false,
    maxLength: 96,
    documentAloneWeight: 0,
  });
  assert.equal(cross.training.hardNegatives, 7);
  const warm = resolveTeacherSettings({
    model: { kind: "cross" },
    training: { initFrom: "/de", negativesFrom: { kind: "mixed", path: "/de" } },
  });
  assert.deepEqual(warm.vocabulary, { kind: "file", path: join("/de", "tokenizer.json") });
  assert.deepEqual(warm.training.negativesFrom, { kind: "mixed", path: "/de", depth: 100 });
  assert.equal(warm.training.initFrom, "/de");
  assert.deepEqual(resolveTeacherSettings(warm), warm);
  // Resolved settings are settings that resolve to themselves (teacher_run.json re-hashes).
  assert.deepEqual(resolveTeacherSettings(r), r);
  assert.deepEqual(resolveTeacherSettings(cross), cross);

  const bad: [Parameters<typeof resolveTeacherSettings>[0], RegExp][] = [
    [{ model: { kind: "dual", layers: 0 } }, /layers 0: expected an integer >= 1/],
    [{ model: { kind: "dual", hidden: 30, heads: 4 } }, /hidden size 30 and 4 heads/],
    [{ model: { kind: "dual", similarity: { kind: "cosine", scale: 0 } } }, /cosine scale 0/],
    [{ model: { kind: "cross", documentAloneWeight: 1 } }, /"cls" cross-encoder .*dual pooling/],
    [{ model: { kind: "cross" }, training: { hardNegatives: 0 } }, /0 hard negatives/],
    [{ training: { length: { kind: "epochs", epochs: 0 } } }, /0 epochs/],
    [{ training: { learningRate: -1 } }, /learning rate -1/],
    [{ training: { negativesFrom: { kind: "mixed", path: "/m", depth: 0 } } }, /negative depth 0/],
    [{ training: { devMeasures: ["nope@3"] } }, /dev measure "nope@3"/],
  ];
  for (const [settings, pattern] of bad) {
    assert.throws(() => resolveTeacherSettings(settings), RangeError);
    assert.throws(() => resolveTeacherSettings(settings), pattern);
  }
});

Deno.test("teacherConfigHash: follows settings, data checksums, dev split and file contents (not paths); includes CODE_SALT", async () => {
  const train = split("train", "a".repeat(64));
  const base = await teacherConfigHash({}, { train });
  assert.match(base, /^[0-9a-f]{64}$/);
  // Defaults spelled out give the same address as defaults left out.
  assert.equal(await teacherConfigHash(resolveTeacherSettings(), { train }), base);
  assert.equal(
    await teacherConfigHash({ model: { kind: "dual", layers: 2, pooling: "mean" } }, { train }),
    base,
  );
  const differ = [
    await teacherConfigHash({ model: { kind: "dual", layers: 3 } }, { train }),
    await teacherConfigHash({ training: { seed: 1 } }, { train }),
    await teacherConfigHash({ training: { devMeasures: ["nDCG@10"] } }, { train }),
    await teacherConfigHash({}, { train: split("train", "b".repeat(64)) }),
    await teacherConfigHash({}, { train, dev: split("dev", "c".repeat(64)) }),
  ];
  for (const h of differ) assert.notEqual(h, base);
  assert.equal(new Set(differ).size, differ.length);

  const dir = await Deno.makeTempDir({ prefix: "embeddistill-teacher-hash-" });
  try {
    const one = join(dir, "one.json");
    const two = join(dir, "two.json");
    await Deno.writeTextFile(one, '{"model": 1}');
    await Deno.writeTextFile(two, '{"model": 1}');
    const byPath = (path: string) =>
      teacherConfigHash({ vocabulary: { kind: "file", path } }, { train });
    assert.equal(await byPath(one), await byPath(two));
    await Deno.writeTextFile(two, '{"model": 2}');
    assert.notEqual(await byPath(one), await byPath(two));
    await assert.rejects(byPath(join(dir, "absent.json")), /Cannot hash .*absent\.json/);

    // A model named by initFrom or mixed negatives enters by its files' contents, not its path.
    const model = async (name: string, weights: string) => {
      const path = join(dir, name);
      await Deno.mkdir(path);
      for (const file of ["config.json", "tokenizer.json"]) {
        await Deno.writeTextFile(join(path, file), "{}");
      }
      await Deno.writeTextFile(join(path, "model.safetensors"), weights);
      return path;
    };
    const [a, b, c] = [await model("a", "w1"), await model("b", "w1"), await model("c", "w2")];
    const warm = (path: string) =>
      teacherConfigHash({
        model: { kind: "cross" },
        training: { initFrom: path, negativesFrom: { kind: "mixed", path } },
      }, { train });
    assert.equal(await warm(a), await warm(b));
    assert.notEqual(await warm(a), await warm(c));
    assert.notEqual(
      await warm(a),
      await teacherConfigHash({
        model: { kind: "cross" },
        vocabulary: { kind: "file", path: join(a, "tokenizer.json") },
        training: { negativesFrom: { kind: "mixed", path: a } },
      }, { train }),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const address = await teacherAddress(resolveTeacherSettings(), { train }) as {
    codeSalt: string;
  };
  assert.equal(address.codeSalt, CODE_SALT);
  // Teachers addressed before initFrom existed keep their address (cached teachers stay valid).
  assert.equal(base, "e333748b8d4d16cbce1b9f683fe5f456bb8d5f3aed460f54e8d360f396dfc8b8");
});
