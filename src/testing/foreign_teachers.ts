/**
 * Test fixture: teacher folders as other tools write them, built from suite weights renamed the
 * way those tools name them: a Hugging Face BERT folder (`BertModel` config without the suite
 * section, `bert.`-prefixed `model.safetensors` as `BertForMaskedLM` saves it, `vocab.txt` +
 * `tokenizer_config.json`) and a sentence-transformers folder (bare names, `tokenizer.json`,
 * `modules.json`, `1_Pooling/`, `2_Normalize/`, `config_sentence_transformers.json` with prompts,
 * `sentence_bert_config.json`).
 *
 * @module
 */

import { join } from "node:path";
import {
  type DualEncoderSpec,
  initModelWeights,
  type NamedTensor,
  toHfConfig,
  writeSafetensorsFile,
} from "../models/mod.ts";
import { saveTokenizerJson, saveVocabTxt, type TokenizerConfig } from "../text/mod.ts";

/** A foreign teacher folder and the suite model it was made from. */
export interface ForeignTeacher {
  readonly dir: string;
  /** The spec the folder should read as. */
  readonly spec: DualEncoderSpec;
  /** The weights under the suite's canonical names. */
  readonly weights: ReadonlyMap<string, NamedTensor>;
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

/**
 * Write a Hugging Face BERT folder into `dir`: read back as a shared-tower, mean-pooled,
 * dot-product dual encoder of `base`'s encoder.
 */
export async function writeHfTeacher(
  dir: string,
  base: DualEncoderSpec,
  tokenizer: TokenizerConfig,
  seed = 3,
): Promise<ForeignTeacher> {
  if (base.towers.kind !== "shared") throw new TypeError("writeHfTeacher: expected shared towers");
  const encoder = base.towers.tower.encoder;
  const spec: DualEncoderSpec = {
    kind: "dual",
    towers: { kind: "shared", tower: { encoder } },
    pooling: "mean",
    similarity: { kind: "dot" },
    queryMaxLength: Math.min(32, encoder.maxPositions),
    documentMaxLength: Math.min(256, encoder.maxPositions),
  };
  const weights = initModelWeights(spec, seed);
  await Deno.mkdir(dir, { recursive: true });
  await writeSafetensorsFile(
    join(dir, "model.safetensors"),
    new Map([...weights].map(([name, x]) => [`bert.${name}`, x])),
    { metadata: { format: "pt" } },
  );
  await Deno.writeTextFile(
    join(dir, "config.json"),
    json({ ...toHfConfig(encoder), architectures: ["BertForMaskedLM"], pad_token_id: 0 }),
  );
  await saveVocabTxt(join(dir, "vocab.txt"), tokenizer.vocab);
  await Deno.writeTextFile(
    join(dir, "tokenizer_config.json"),
    json({ do_lower_case: tokenizer.normalizer.lowercase, tokenizer_class: "BertTokenizer" }),
  );
  return { dir, spec, weights };
}

/**
 * Write a sentence-transformers folder into `dir`: `base`'s encoder and pooling, a Normalize module
 * (cosine, scale 20), `max_seq_length` = `base.documentMaxLength` and the given prompts.
 */
export async function writeStTeacher(
  dir: string,
  base: DualEncoderSpec,
  tokenizer: TokenizerConfig,
  prompts: { readonly query: string; readonly document: string },
  seed = 4,
): Promise<ForeignTeacher> {
  if (base.towers.kind !== "shared") throw new TypeError("writeStTeacher: expected shared towers");
  const encoder = base.towers.tower.encoder;
  const spec: DualEncoderSpec = {
    kind: "dual",
    towers: { kind: "shared", tower: { encoder } },
    pooling: base.pooling,
    similarity: { kind: "cosine", scale: 20 },
    queryMaxLength: Math.min(32, base.documentMaxLength),
    documentMaxLength: base.documentMaxLength,
    prompts,
  };
  const weights = initModelWeights(spec, seed);
  await Deno.mkdir(join(dir, "1_Pooling"), { recursive: true });
  await Deno.mkdir(join(dir, "2_Normalize"), { recursive: true });
  await writeSafetensorsFile(join(dir, "model.safetensors"), weights, {
    metadata: { format: "pt" },
  });
  await Deno.writeTextFile(join(dir, "config.json"), json(toHfConfig(encoder)));
  await saveTokenizerJson(join(dir, "tokenizer.json"), tokenizer);
  await Deno.writeTextFile(
    join(dir, "modules.json"),
    json([
      { idx: 0, name: "0", path: "", type: "sentence_transformers.models.Transformer" },
      { idx: 1, name: "1", path: "1_Pooling", type: "sentence_transformers.models.Pooling" },
      { idx: 2, name: "2", path: "2_Normalize", type: "sentence_transformers.models.Normalize" },
    ]),
  );
  await Deno.writeTextFile(
    join(dir, "1_Pooling", "config.json"),
    json({
      word_embedding_dimension: encoder.hiddenSize,
      pooling_mode_cls_token: base.pooling === "cls",
      pooling_mode_mean_tokens: base.pooling === "mean",
      pooling_mode_max_tokens: false,
      pooling_mode_mean_sqrt_len_tokens: false,
    }),
  );
  await Deno.writeTextFile(
    join(dir, "config_sentence_transformers.json"),
    json({
      __version__: { sentence_transformers: "3.0.1" },
      prompts: { query: prompts.query, passage: prompts.document },
      default_prompt_name: null,
      similarity_fn_name: "cosine",
    }),
  );
  await Deno.writeTextFile(
    join(dir, "sentence_bert_config.json"),
    json({ max_seq_length: base.documentMaxLength, do_lower_case: false }),
  );
  return { dir, spec, weights };
}
