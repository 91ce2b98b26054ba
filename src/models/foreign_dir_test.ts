import assert from "node:assert/strict";
import { join } from "node:path";
import { type BertConfig, type NamedTensor, toHfConfig } from "./config.ts";
import { type DualEncoderSpec, initModelWeights } from "./architecture.ts";
import { loadModelDir, readModelSpec, saveModelDir } from "./model_dir.ts";
import { readSafetensorsFile, writeSafetensorsFile } from "./safetensors.ts";
import { writeSentenceTransformersFiles } from "./st_layout.ts";
import { ST_COSINE_SCALE, ST_MODULES } from "./foreign_dir.ts";
import { bertTokenizerConfig, vocabFromTokens } from "../text/mod.ts";

const ENCODER: BertConfig = {
  vocabSize: 20,
  hiddenSize: 8,
  numLayers: 1,
  numHeads: 2,
  intermediateSize: 16,
  maxPositions: 64,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
};

const TOKENIZER = bertTokenizerConfig(
  vocabFromTokens([
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    ...Array.from({ length: 15 }, (_, i) => `w${i}`),
  ]),
);

function sameTensors(
  found: ReadonlyMap<string, NamedTensor>,
  expected: ReadonlyMap<string, NamedTensor>,
) {
  assert.deepEqual([...found.keys()].sort(), [...expected.keys()].sort());
  for (const [name, x] of expected) {
    assert.deepEqual(found.get(name)!.shape, x.shape, name);
    assert.deepEqual(found.get(name)!.data, x.data, name);
  }
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-foreign-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

Deno.test("a Hugging Face BERT folder (bert.-prefixed, no suite section) loads as a mean-pooled dot-product dual encoder", async () => {
  await withDir(async (dir) => {
    const spec: DualEncoderSpec = {
      kind: "dual",
      towers: { kind: "shared", tower: { encoder: ENCODER } },
      pooling: "mean",
      similarity: { kind: "dot" },
      queryMaxLength: 32,
      documentMaxLength: 64,
    };
    const weights = initModelWeights(spec, 5);
    // As BertForMaskedLM stores it: `bert.` prefix, plus a head the suite does not use.
    const hf = new Map([...weights].map(([name, x]) => [`bert.${name}`, x]));
    hf.set("cls.predictions.bias", { shape: [20], data: new Float32Array(20) });
    await writeSafetensorsFile(join(dir, "model.safetensors"), hf);
    await Deno.writeTextFile(
      join(dir, "config.json"),
      json({ ...toHfConfig(ENCODER), architectures: ["BertForMaskedLM"] }),
    );
    const loaded = await loadModelDir(dir);
    assert.deepEqual(loaded.spec, spec);
    sameTensors(loaded.weights, weights);
  });
});

Deno.test("a sentence-transformers folder: pooling, Dense projection, Normalize and prompts are read", async () => {
  await withDir(async (dir) => {
    const spec: DualEncoderSpec = {
      kind: "dual",
      towers: { kind: "shared", tower: { encoder: ENCODER, projectionDim: 4 } },
      pooling: "cls",
      similarity: { kind: "cosine", scale: ST_COSINE_SCALE },
      queryMaxLength: 32,
      documentMaxLength: 48,
      prompts: { query: "query: ", document: "passage: " },
    };
    const weights = initModelWeights(spec, 6);
    // The suite writes the module files; a plain config.json (no suite section) and BERT-only
    // safetensors make it a folder as sentence-transformers writes it.
    await writeSentenceTransformersFiles(dir, spec, weights, TOKENIZER);
    const bert = new Map([...weights].filter(([name]) => !name.startsWith("projection.")));
    await writeSafetensorsFile(join(dir, "model.safetensors"), bert);
    await Deno.writeTextFile(join(dir, "config.json"), json(toHfConfig(ENCODER)));
    // sentence-transformers names the document prompt "passage" in many models.
    const stConfigPath = join(dir, "config_sentence_transformers.json");
    const stConfig = JSON.parse(await Deno.readTextFile(stConfigPath));
    stConfig.prompts = { query: "query: ", passage: "passage: " };
    await Deno.writeTextFile(stConfigPath, json(stConfig));
    const modules = JSON.parse(await Deno.readTextFile(join(dir, "modules.json")));
    assert.deepEqual(modules.map((m: { type: string }) => m.type), [
      ST_MODULES.transformer,
      ST_MODULES.pooling,
      ST_MODULES.dense,
      ST_MODULES.normalize,
    ]);
    const loaded = await loadModelDir(dir);
    assert.deepEqual(loaded.spec, spec);
    sameTensors(loaded.weights, weights);
    // A Dense weight that does not match its config names the module's file and tensor.
    await writeSafetensorsFile(
      join(dir, "2_Dense", "model.safetensors"),
      new Map([["linear.weight", { shape: [4, 6], data: new Float32Array(24) }]]),
    );
    await assert.rejects(
      loadModelDir(dir),
      (e: Error) =>
        /2_Dense\/model\.safetensors/.test(e.message) && /"linear\.weight"/.test(e.message) &&
        /\[4,8\]/.test(e.message),
    );
  });
});

Deno.test("a suite directory with its sentence-transformers files reads back as the same model without the suite section", async () => {
  await withDir(async (dir) => {
    const spec: DualEncoderSpec = {
      kind: "dual",
      towers: { kind: "shared", tower: { encoder: ENCODER, projectionDim: 6 } },
      pooling: "mean",
      similarity: { kind: "cosine", scale: ST_COSINE_SCALE },
      queryMaxLength: 32,
      documentMaxLength: 64,
    };
    const weights = initModelWeights(spec, 7);
    await saveModelDir(dir, spec, weights);
    await writeSentenceTransformersFiles(dir, spec, weights, TOKENIZER);
    assert.deepEqual(await readModelSpec(dir), spec);
    const configPath = join(dir, "config.json");
    const config = JSON.parse(await Deno.readTextFile(configPath));
    delete config.embeddistill;
    await Deno.writeTextFile(configPath, json(config));
    const loaded = await loadModelDir(dir);
    assert.deepEqual(loaded.spec, spec);
    sameTensors(loaded.weights, weights);
  });
});

Deno.test("separate towers: the query tower is stored bare (a Hugging Face BertModel), old prefixed files still load", async () => {
  await withDir(async (dir) => {
    const spec: DualEncoderSpec = {
      kind: "dual",
      towers: {
        kind: "separate",
        query: { encoder: ENCODER, projectionDim: 4 },
        document: { encoder: { ...ENCODER, numLayers: 2 }, projectionDim: 4 },
      },
      pooling: "mean",
      similarity: { kind: "dot" },
      queryMaxLength: 16,
      documentMaxLength: 32,
    };
    const weights = initModelWeights(spec, 8);
    await saveModelDir(dir, spec, weights);
    const { tensors } = await readSafetensorsFile(join(dir, "model.safetensors"));
    assert.ok(tensors.has("embeddings.word_embeddings.weight"));
    assert.ok(tensors.has("projection.weight"));
    assert.ok(tensors.has("document.embeddings.word_embeddings.weight"));
    assert.ok(![...tensors.keys()].some((n) => n.startsWith("query.")));
    sameTensors((await loadModelDir(dir)).weights, weights);
    // The layout written before: canonical `query.` names.
    await writeSafetensorsFile(join(dir, "model.safetensors"), weights);
    sameTensors((await loadModelDir(dir)).weights, weights);
  });
});

Deno.test("foreign folders: pytorch_model.bin, unknown architectures, modules and shapes are errors naming the file", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "config.json"), json(toHfConfig(ENCODER)));
    await Deno.writeTextFile(join(dir, "pytorch_model.bin"), "not read");
    await assert.rejects(
      loadModelDir(dir),
      (e: Error) => /pytorch_model\.bin/.test(e.message) && /model\.safetensors/.test(e.message),
    );
    const spec: DualEncoderSpec = {
      kind: "dual",
      towers: { kind: "shared", tower: { encoder: { ...ENCODER, hiddenSize: 4 } } },
      pooling: "mean",
      similarity: { kind: "dot" },
      queryMaxLength: 32,
      documentMaxLength: 64,
    };
    await writeSafetensorsFile(join(dir, "model.safetensors"), initModelWeights(spec, 1));
    await assert.rejects(
      loadModelDir(dir),
      (e: Error) =>
        e instanceof TypeError && /embeddings\.word_embeddings\.weight/.test(e.message) &&
        /model\.safetensors/.test(e.message) && /\[20,8\]/.test(e.message),
    );
    await Deno.writeTextFile(
      join(dir, "config.json"),
      json({ ...toHfConfig(ENCODER), model_type: "roberta" }),
    );
    await assert.rejects(
      readModelSpec(dir),
      (e: Error) => /config\.json/.test(e.message) && /"roberta"/.test(e.message),
    );
    await Deno.writeTextFile(
      join(dir, "config.json"),
      json({ ...toHfConfig(ENCODER), position_embedding_type: "relative_key" }),
    );
    await assert.rejects(
      readModelSpec(dir),
      (e: Error) => /config\.json/.test(e.message) && /relative_key/.test(e.message),
    );
    await Deno.writeTextFile(join(dir, "config.json"), json(toHfConfig(ENCODER)));
    await Deno.writeTextFile(
      join(dir, "modules.json"),
      json([
        { idx: 0, name: "0", path: "", type: ST_MODULES.transformer },
        { idx: 1, name: "1", path: "1_LSTM", type: "sentence_transformers.models.LSTM" },
      ]),
    );
    await assert.rejects(
      readModelSpec(dir),
      (e: Error) => /modules\.json/.test(e.message) && /models\.LSTM/.test(e.message),
    );
    await Deno.writeTextFile(
      join(dir, "modules.json"),
      json([
        { idx: 0, name: "0", path: "", type: ST_MODULES.transformer },
        { idx: 1, name: "1", path: "1_Pooling", type: ST_MODULES.pooling },
      ]),
    );
    await assert.rejects(
      readModelSpec(dir),
      (e: Error) => e instanceof Deno.errors.NotFound && /1_Pooling/.test(e.message),
    );
    await Deno.mkdir(join(dir, "1_Pooling"));
    await Deno.writeTextFile(
      join(dir, "1_Pooling", "config.json"),
      json({ word_embedding_dimension: 8, pooling_mode_max_tokens: true }),
    );
    await assert.rejects(
      readModelSpec(dir),
      (e: Error) => /1_Pooling/.test(e.message) && /pooling_mode_max_tokens/.test(e.message),
    );
  });
});

Deno.test("a cls cross-encoder is stored as Hugging Face BertForSequenceClassification names it, and such a folder loads", async () => {
  await withDir(async (dir) => {
    const spec = {
      kind: "cross",
      encoder: ENCODER,
      scorer: { kind: "cls" },
      maxLength: 64,
    } as const;
    const weights = initModelWeights(spec, 9);
    await saveModelDir(dir, spec, weights);
    const { tensors } = await readSafetensorsFile(join(dir, "model.safetensors"));
    assert.deepEqual(
      [...tensors.keys()].filter((n) => !n.startsWith("bert.")).sort(),
      ["classifier.bias", "classifier.weight"],
    );
    assert.ok(tensors.has("bert.pooler.dense.weight"));
    sameTensors((await loadModelDir(dir)).weights, weights);
    // Without the suite section: read from `architectures` and `num_labels`.
    const configPath = join(dir, "config.json");
    const config = JSON.parse(await Deno.readTextFile(configPath));
    delete config.embeddistill;
    await Deno.writeTextFile(configPath, json(config));
    const loaded = await loadModelDir(dir);
    assert.deepEqual(loaded.spec, spec);
    sameTensors(loaded.weights, weights);
  });
});
