/**
 * A real client on the suite's exported folders: transformers.js (`@huggingface/transformers`,
 * local files only) loads a student directory with the feature-extraction pipeline and gives the
 * embeddings of the suite's ONNX Runtime encoder, for queries and documents of different lengths
 * (padding), through README's "Use a student elsewhere" snippet and in-process.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { env, pipeline } from "@huggingface/transformers";
import { type DualEncoderSpec, initModelWeights, saveModelDir } from "../mod.ts";
import { saveTokenizerJson } from "../../text/mod.ts";
import { encoderConfig, tinyTask } from "../../testing/mod.ts";
import { writeTeacherRecord } from "../teacher_record.ts";
import {
  completeEcosystemFiles,
  exportEcosystemFiles,
  transformersJsOptions,
} from "./ecosystem_export.ts";
import { exportOnnxTowers } from "./tower_dirs.ts";
import { OnnxTextEncoder } from "./text_encoder.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TOLERANCE = 1e-4;

const task = tinyTask({ train: 10, documents: 80, dev: 2, test: 2, pool: 0, vocabSize: 300 });
const words = task.tokenizer.vocab.tokens.filter((t) => /^[a-z]+$/.test(t));

/** Queries and documents of different lengths, with casing, punctuation and unknown words. */
const QUERIES = [
  words.slice(0, 2).join(" "),
  `${words[3]!.toUpperCase()}, ${words.slice(4, 12).join(" ")}?`,
  `unknownword ${words[20]}`,
];
const DOCUMENTS = [
  words.slice(30, 70).join(" ") + ".",
  `${words[71]} ${words[72]}`,
  words.slice(80, 100).join(" ") + " (" + words[101] + ")",
];

/** Write a student directory as `finaliseStudent` does (model, tokenizer, towers, ecosystem). */
async function writeStudent(
  dir: string,
  spec: DualEncoderSpec,
  teacher?: { path: string; hash: string },
) {
  const weights = initModelWeights(spec, 11);
  await saveModelDir(dir, spec, weights);
  await saveTokenizerJson(join(dir, "tokenizer.json"), task.tokenizer.config);
  await exportOnnxTowers(dir, spec, weights, task.tokenizer, {
    document: spec.towers.kind === "shared",
  });
  if (teacher !== undefined) await writeTeacherRecord(dir, teacher);
  await exportEcosystemFiles(dir, spec, weights, task.tokenizer.config, {
    ...(teacher === undefined ? {} : { teacher }),
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** The suite's embeddings of `texts` by the tower folder `towerDir`, as rows. */
async function suiteEmbeddings(
  towerDir: string,
  side: "query" | "document",
  texts: readonly string[],
): Promise<number[][]> {
  const encoder = await OnnxTextEncoder.load(towerDir);
  try {
    const m = side === "query"
      ? await encoder.encodeQueries(texts)
      : await encoder.encodeDocuments(texts);
    return Array.from(
      { length: m.count },
      (_, i) => Array.from(m.vectors.subarray(i * m.dims, (i + 1) * m.dims)),
    );
  } finally {
    await encoder.close();
  }
}

async function withStudents(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-transformers-js-" });
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const encoder = encoderConfig(task.vocabSize, 16, 2, 2);

Deno.test("transformers.js: README's snippet embeds with an exported student as the suite's ONNX Runtime encoder does", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const section = readme.slice(readme.indexOf("## Use a student elsewhere"));
  const snippet = /```js\n(\/\/ use_student\.mjs[\s\S]*?)```/.exec(section)?.[1];
  assert.ok(
    snippet !== undefined,
    'the use_student.mjs snippet is missing from README\'s "Use a student elsewhere"',
  );
  const texts = (name: string) =>
    JSON.parse(
      new RegExp(`const ${name} = await extractor\\((\\[.*?\\]), options\\)`).exec(snippet)![1]!,
    );
  await withStudents(async (root) => {
    // A symmetric student as the suite's default teachers make them: mean pooling, cosine, and a
    // projection to the teacher's width.
    const spec: DualEncoderSpec = {
      kind: "dual",
      towers: { kind: "shared", tower: { encoder, projectionDim: 12 } },
      pooling: "mean",
      similarity: { kind: "cosine", scale: 20 },
      queryMaxLength: 24,
      documentMaxLength: 64,
    };
    assert.deepEqual(transformersJsOptions(spec), { pooling: "mean", normalize: true });
    const student = join(root, "students", "my-student");
    await writeStudent(student, spec);
    await Deno.writeTextFile(join(root, "use_student.mjs"), snippet);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--config",
        join(ROOT, "deno.json"),
        "--allow-read",
        "--allow-env",
        "--allow-ffi",
        "--allow-sys",
        "use_student.mjs",
      ],
      cwd: root,
      env: { NO_COLOR: "1" },
    }).output();
    const decoder = new TextDecoder();
    assert.equal(out.code, 0, decoder.decode(out.stderr));
    const lines = decoder.decode(out.stdout).trim().split("\n");
    const got = JSON.parse(lines.at(-1)!) as { queries: number[][]; documents: number[][] };
    const queries = await suiteEmbeddings(join(student, "onnx-query"), "query", texts("queries"));
    const documents = await suiteEmbeddings(
      join(student, "onnx-document"),
      "document",
      texts("documents"),
    );
    assert.equal(got.queries.length, 2);
    assert.equal(got.queries[0]!.length, 12);
    const diff = Math.max(
      maxAbsDiff(got.queries.flat(), queries.flat()),
      maxAbsDiff(got.documents.flat(), documents.flat()),
    );
    assert.ok(diff <= TOLERANCE, `max abs diff ${diff} > ${TOLERANCE}`);
  });
});

Deno.test("transformers.js: shared and query-only (asymmetric) students match the suite to 1e-4 with padding", async () => {
  await withStudents(async (root) => {
    env.allowRemoteModels = false;
    env.localModelPath = root + "/";
    const cases: {
      name: string;
      spec: DualEncoderSpec;
      teacher?: { path: string; hash: string };
    }[] = [
      {
        name: "shared",
        spec: {
          kind: "dual",
          towers: { kind: "shared", tower: { encoder, projectionDim: 8 } },
          pooling: "mean",
          similarity: { kind: "cosine", scale: 20 },
          queryMaxLength: 24,
          documentMaxLength: 64,
        },
      },
      {
        // An asymmetric student: a small query tower with a projection, the teacher's document
        // tower; cls pooling and dot product to cover the other branches.
        name: "asymmetric",
        spec: {
          kind: "dual",
          towers: {
            kind: "separate",
            query: { encoder: encoderConfig(task.vocabSize, 8, 1, 2), projectionDim: 16 },
            document: { encoder },
          },
          pooling: "cls",
          similarity: { kind: "dot" },
          queryMaxLength: 24,
          documentMaxLength: 64,
        },
        teacher: { path: "/models/teacher", hash: "abc123" },
      },
    ];
    for (const c of cases) {
      const dir = join(root, c.name);
      await writeStudent(dir, c.spec, c.teacher);
      const extractor = await pipeline("feature-extraction", c.name);
      try {
        const options = transformersJsOptions(c.spec);
        const sides: ["query" | "document", readonly string[]][] = c.spec.towers.kind === "shared"
          ? [["query", QUERIES], ["document", DOCUMENTS]]
          // A query-only model cuts texts at the query length in transformers.js too.
          : [["query", [...QUERIES, words.slice(120, 160).join(" ")]]];
        for (const [side, texts] of sides) {
          const got = await extractor([...texts], options);
          assert.deepEqual(got.dims, [texts.length, 16 - (c.name === "shared" ? 8 : 0)]);
          const expected = await suiteEmbeddings(join(dir, `onnx-${side}`), side, texts);
          const diff = maxAbsDiff(got.data as Float32Array, expected.flat());
          assert.ok(diff <= TOLERANCE, `${c.name} ${side}: max abs diff ${diff} > ${TOLERANCE}`);
        }
      } finally {
        await extractor.dispose();
      }
      if (c.teacher !== undefined) {
        const card = await Deno.readTextFile(join(dir, "README.md"));
        assert.match(card, /Documents must be encoded by the teacher/);
        assert.ok(card.includes(c.teacher.path) && card.includes(c.teacher.hash));
      }
    }
  });
});

Deno.test("completeEcosystemFiles: a directory written before the ecosystem files gets the same files", async () => {
  await withStudents(async (root) => {
    const spec: DualEncoderSpec = {
      kind: "dual",
      towers: {
        kind: "separate",
        query: { encoder: encoderConfig(task.vocabSize, 8, 1, 2), projectionDim: 16 },
        document: { encoder },
      },
      pooling: "mean",
      similarity: { kind: "cosine", scale: 20 },
      queryMaxLength: 24,
      documentMaxLength: 64,
    };
    const dir = join(root, "student");
    await writeStudent(dir, spec, { path: "/models/teacher", hash: "abc123" });
    const files = [
      "modules.json",
      "1_Pooling/config.json",
      "2_Dense/model.safetensors",
      "config_sentence_transformers.json",
      "tokenizer_config.json",
      "onnx/model.onnx",
      "README.md",
    ]; // deno-fmt-ignore
    const before = await Promise.all(files.map((f) => Deno.readFile(join(dir, f))));
    for (const f of ["modules.json", "1_Pooling", "2_Dense", "3_Normalize", "onnx", "README.md"]) {
      await Deno.remove(join(dir, f), { recursive: true });
    }
    await completeEcosystemFiles(dir);
    const after = await Promise.all(files.map((f) => Deno.readFile(join(dir, f))));
    files.forEach((f, i) => assert.deepEqual(after[i], before[i], f));
  });
});

Deno.test("onnx/ of the ecosystem export is an OnnxTextEncoder folder: the same embeddings as onnx-query/ and onnx-document/", async () => {
  await withStudents(async (root) => {
    const spec: DualEncoderSpec = {
      kind: "dual",
      towers: { kind: "shared", tower: { encoder, projectionDim: 8 } },
      pooling: "cls",
      similarity: { kind: "dot" },
      queryMaxLength: 24,
      documentMaxLength: 64,
      prompts: { query: "query: " },
    };
    const dir = join(root, "student");
    await writeStudent(dir, spec);
    for (const [side, texts] of [["query", QUERIES], ["document", DOCUMENTS]] as const) {
      const got = await suiteEmbeddings(join(dir, "onnx"), side, texts);
      const want = await suiteEmbeddings(join(dir, `onnx-${side}`), side, texts);
      assert.ok(maxAbsDiff(got.flat(), want.flat()) <= 1e-6, side);
    }
    const textEncoder = await OnnxTextEncoder.load(join(dir, "onnx"));
    try {
      assert.deepEqual(
        textEncoder.tokenizeQueries([QUERIES[0]!])[0],
        task.tokenizer.encode("query: " + QUERIES[0], { maxLength: 24 }).ids,
      );
    } finally {
      await textEncoder.close();
    }
  });
});
