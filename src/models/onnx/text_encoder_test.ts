import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  bertTokenizerConfig,
  CASED_NORMALIZER,
  saveTokenizerJson,
  saveVocabTxt,
  vocabFromTokens,
  WordPieceTokenizer,
} from "../../text/mod.ts";
import { OnnxEncoder } from "./encoder.ts";
import { exportBertEncoder } from "./encoder_export.ts";
import { randomBertWeights, TINY_BERT } from "../../testing/mod.ts";
import { documentText, loadDirTokenizer, OnnxTextEncoder } from "./text_encoder.ts";

const WORDS = [
  "the",
  "dual",
  "encoder",
  "retrieval",
  "query",
  "document",
  "student",
  "teacher",
  "distil",
  "##led",
  "##s",
  "small",
  "large",
  "model",
  "a",
  "of",
  "is",
  "Teacher",
  "title",
  ".",
];
const vocab = vocabFromTokens(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ...WORDS]);
const weights = randomBertWeights(TINY_BERT, 31);
const QUERIES = [
  "the teacher",
  "Distilled students of a large teacher model is the dual encoder of the retrieval query",
  "unknownword query",
];
const DOCS = [
  { title: "Title", text: "a small student model." },
  { title: "", text: "the dual encoder" },
  { text: "documents of the teacher are large . large . large . large . large . large" },
];

function sha256(...parts: Uint8Array[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

async function withEncoderDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-text-encoder-" });
  try {
    await exportBertEncoder(dir, weights, TINY_BERT, {
      pooling: "mean",
      normalize: true,
      queryMaxLength: 8,
      docMaxLength: 12,
    });
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function assertClose(a: Float32Array, b: Float32Array, label: string): void {
  assert.equal(a.length, b.length, label);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) < 1e-6, `${label}[${i}]: ${x} vs ${b[i]}`));
}

Deno.test("OnnxTextEncoder with tokenizer.json encodes text as tokenizer + OnnxEncoder do", async () => {
  await withEncoderDir(async (dir) => {
    const config = bertTokenizerConfig(vocab);
    await saveTokenizerJson(join(dir, "tokenizer.json"), config);
    const tokenizer = new WordPieceTokenizer(config);
    const text = await OnnxTextEncoder.load(dir, { session: { intraOpThreads: 1 } });
    const direct = await OnnxEncoder.load(dir, { session: { intraOpThreads: 1 } });
    try {
      // Queries are cut to query_max_length (8) tokens, specials included.
      const queryIds = QUERIES.map((q) => tokenizer.encode(q, { maxLength: 8 }).ids);
      assert.deepEqual(text.tokenizeQueries(QUERIES), queryIds);
      assert.equal(queryIds[1]!.length, 8);
      assert.deepEqual(queryIds[2], [2, 1, 9, 3]); // [CLS] [UNK] query [SEP]
      const got = await text.encodeQueries(QUERIES);
      const want = await direct.encode(queryIds, { maxLength: 8 });
      assert.equal(got.dims, TINY_BERT.hiddenSize);
      assertClose(got.vectors, want.vectors, "queries");

      // Documents: "title text" (BEIR's join), empty titles add nothing, cut to 12 tokens.
      const docIds = [
        "Title a small student model.",
        "the dual encoder",
        DOCS[2]!.text,
      ].map((d) => tokenizer.encode(d, { maxLength: 12 }).ids);
      assert.deepEqual(text.tokenizeDocuments(DOCS), docIds);
      assert.equal(docIds[2]!.length, 12);
      const gotDocs = await text.encodeDocuments(DOCS);
      const wantDocs = await direct.encode(docIds, { maxLength: 12 });
      assertClose(gotDocs.vectors, wantDocs.vectors, "documents");
      // normalize: true was exported as cosine, so rows are unit length.
      const row = gotDocs.vectors.subarray(0, gotDocs.dims);
      assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-5);

      const info = await text.describe();
      const onnx = await Deno.readFile(join(dir, "model.onnx"));
      assert.equal(info.encoder.modelSha256, sha256(onnx));
      assert.equal(info.tokenizer.kind, "tokenizer.json");
      assert.equal(
        info.tokenizer.sha256,
        sha256(await Deno.readFile(join(dir, "tokenizer.json"))),
      );
      assert.equal(info.tokenizer.vocabSize, vocab.tokens.length);
      assert.equal(info.encoder.config["similarity"], "cosine");
      assert.deepEqual(info.titleJoin, { kind: "concat", separator: " " });
      assert.equal(info.queryMaxLength, 8);
      assert.equal(info.docMaxLength, 12);
    } finally {
      await text.close();
      await direct.close();
    }
  });
});

Deno.test("OnnxTextEncoder with vocab.txt follows tokenizer_config.json casing; titles can be ignored", async () => {
  await withEncoderDir(async (dir) => {
    await saveVocabTxt(join(dir, "vocab.txt"), vocab);
    const uncased = await loadDirTokenizer(dir);
    assert.equal(uncased.source.kind, "vocab.txt");
    assert.equal(uncased.source.lowercase, true);
    assert.deepEqual(uncased.tokenizer.tokenize("Teacher"), ["teacher"]);
    assert.equal(uncased.source.sha256, sha256(await Deno.readFile(join(dir, "vocab.txt"))));

    const configFile = join(dir, "tokenizer_config.json");
    await Deno.writeTextFile(configFile, JSON.stringify({ do_lower_case: false }));
    const text = await OnnxTextEncoder.load(dir, {
      titleJoin: { kind: "ignore" },
      session: { intraOpThreads: 1 },
    });
    const cased = new WordPieceTokenizer(
      bertTokenizerConfig(vocab, { normalizer: CASED_NORMALIZER }),
    );
    const direct = await OnnxEncoder.load(dir, { session: { intraOpThreads: 1 } });
    try {
      assert.deepEqual(text.tokenizer.tokenize("Teacher teacher"), ["Teacher", "teacher"]);
      const docIds = DOCS.map((d) => cased.encode(d.text, { maxLength: 12 }).ids);
      assert.deepEqual(text.tokenizeDocuments(DOCS), docIds);
      const got = await text.encodeDocuments(DOCS);
      assertClose(got.vectors, (await direct.encode(docIds, { maxLength: 12 })).vectors, "docs");
      const info = await text.describe();
      assert.equal(info.tokenizer.lowercase, false);
      assert.deepEqual(info.tokenizer.files, [join(dir, "vocab.txt"), configFile]);
      assert.equal(
        info.tokenizer.sha256,
        sha256(await Deno.readFile(join(dir, "vocab.txt")), await Deno.readFile(configFile)),
      );
    } finally {
      await text.close();
      await direct.close();
    }
  });
});

Deno.test("OnnxTextEncoder: a directory without a tokenizer is a clear error", async () => {
  await withEncoderDir(async (dir) => {
    await assert.rejects(
      OnnxTextEncoder.load(dir),
      (e: Error) =>
        e instanceof Deno.errors.NotFound &&
        /expected "tokenizer.json" or "vocab.txt"/.test(e.message),
    );
  });
  assert.equal(
    documentText({ title: "T", text: "x" }, { kind: "concat", separator: " | " }),
    "T | x",
  );
  assert.equal(documentText("plain", { kind: "ignore" }), "plain");
});
