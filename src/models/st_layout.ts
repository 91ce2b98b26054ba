/**
 * The sentence-transformers files of a dual-encoder model directory, written beside the suite's
 * `config.json` / `model.safetensors` / `tokenizer.json` so the folder also loads in
 * sentence-transformers and Hugging Face tools: `modules.json` (Transformer, Pooling, a Dense
 * module for a projection, Normalize for cosine similarity), `1_Pooling/config.json`,
 * `2_Dense/config.json` + `2_Dense/model.safetensors`, `config_sentence_transformers.json`
 * (prompts, similarity), `sentence_bert_config.json` (max length, casing) and
 * `tokenizer_config.json` (what `transformers` / transformers.js need beside `tokenizer.json`).
 *
 * The files describe the query tower (the folder's top-level BERT), with the document length as
 * `max_seq_length` (the query length for a query-only model of separate towers). None of them is
 * read back by the suite when the `embeddistill` section is present, so writing them changes neither the
 * model's hash nor how it loads.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../io/mod.ts";
import type { TokenizerConfig } from "../text/mod.ts";
import type { NamedTensors } from "./config.ts";
import { type DualEncoderSpec, towerOf, towerPrefix } from "./architecture.ts";
import { ST_DENSE_WEIGHTS, ST_FILES, ST_MODULES } from "./foreign_dir.ts";
import { writeSafetensorsFile } from "./safetensors.ts";

/** Folder names of the modules the suite writes. */
export const ST_MODULE_DIRS = { pooling: "1_Pooling", dense: "2_Dense" } as const;

/** `tokenizer_config.json`, read by `transformers` and transformers.js beside `tokenizer.json`. */
export const TOKENIZER_CONFIG_FILE = "tokenizer_config.json";

/** Version written in `config_sentence_transformers.json` (the format the files follow). */
const ST_VERSION = "3.0.0";

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/** One entry of `modules.json`. */
export interface StModuleEntry {
  readonly idx: number;
  readonly name: string;
  readonly path: string;
  readonly type: string;
}

/** The `modules.json` entries of a dual encoder's query tower. */
export function stModules(spec: DualEncoderSpec): StModuleEntry[] {
  const modules: Omit<StModuleEntry, "idx">[] = [
    { name: "0", path: "", type: ST_MODULES.transformer },
    { name: "1", path: ST_MODULE_DIRS.pooling, type: ST_MODULES.pooling },
  ];
  if (towerOf(spec, "query").projectionDim !== undefined) {
    modules.push({ name: "2", path: ST_MODULE_DIRS.dense, type: ST_MODULES.dense });
  }
  if (spec.similarity.kind === "cosine") {
    const idx = modules.length;
    modules.push({ name: String(idx), path: `${idx}_Normalize`, type: ST_MODULES.normalize });
  }
  return modules.map((m, idx) => ({ idx, ...m }));
}

/**
 * Write the sentence-transformers files of `spec`'s query tower into `dir` (which already holds
 * `config.json`, `model.safetensors` and `tokenizer.json`). Returns the paths written.
 */
export async function writeSentenceTransformersFiles(
  dir: string,
  spec: DualEncoderSpec,
  weights: NamedTensors,
  tokenizer: TokenizerConfig,
): Promise<string[]> {
  const tower = towerOf(spec, "query");
  const prefix = towerPrefix(spec, "query");
  const written: string[] = [];
  const write = async (path: string, value: unknown) => {
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await writeJson(path, value);
    written.push(path);
  };
  const modules = stModules(spec);
  await write(join(dir, ST_FILES.modules), modules);
  await write(join(dir, ST_MODULE_DIRS.pooling, "config.json"), {
    word_embedding_dimension: tower.encoder.hiddenSize,
    pooling_mode_cls_token: spec.pooling === "cls",
    pooling_mode_mean_tokens: spec.pooling === "mean",
    pooling_mode_max_tokens: false,
    pooling_mode_mean_sqrt_len_tokens: false,
    pooling_mode_weightedmean_tokens: false,
    pooling_mode_lasttoken: false,
    include_prompt: true,
  });
  if (tower.projectionDim !== undefined) {
    const weight = weights.get(`${prefix}projection.weight`);
    const bias = weights.get(`${prefix}projection.bias`);
    if (weight === undefined || bias === undefined) {
      throw new RangeError(
        `Cannot write the Dense module of "${dir}": no tensors "${prefix}projection.weight" and "${prefix}projection.bias"`,
      );
    }
    await write(join(dir, ST_MODULE_DIRS.dense, "config.json"), {
      in_features: tower.encoder.hiddenSize,
      out_features: tower.projectionDim,
      bias: true,
      activation_function: "torch.nn.modules.linear.Identity",
    });
    const path = join(dir, ST_MODULE_DIRS.dense, "model.safetensors");
    await writeSafetensorsFile(
      path,
      new Map([[ST_DENSE_WEIGHTS.weight, weight], [ST_DENSE_WEIGHTS.bias, bias]]),
      { metadata: { format: "pt" } },
    );
    written.push(path);
  }
  for (const m of modules) {
    if (m.type === ST_MODULES.normalize) await Deno.mkdir(join(dir, m.path), { recursive: true });
  }
  const prompts: Record<string, string> = {};
  if (spec.prompts?.query !== undefined) prompts["query"] = spec.prompts.query;
  if (spec.prompts?.document !== undefined) prompts["document"] = spec.prompts.document;
  await write(join(dir, ST_FILES.stConfig), {
    __version__: { sentence_transformers: ST_VERSION },
    prompts,
    default_prompt_name: null,
    similarity_fn_name: spec.similarity.kind === "cosine" ? "cosine" : "dot",
  });
  // A query-only model (separate towers) cuts texts as the suite cuts queries.
  const maxLength = spec.towers.kind === "separate" ? spec.queryMaxLength : spec.documentMaxLength;
  await write(join(dir, ST_FILES.bertConfig), {
    max_seq_length: maxLength,
    do_lower_case: false,
  });
  const s = tokenizer.specialTokens;
  await write(join(dir, TOKENIZER_CONFIG_FILE), {
    tokenizer_class: "BertTokenizer",
    do_lower_case: tokenizer.normalizer.lowercase,
    strip_accents: tokenizer.normalizer.stripAccents,
    tokenize_chinese_chars: tokenizer.normalizer.handleChineseChars,
    clean_up_tokenization_spaces: true,
    cls_token: s.cls,
    sep_token: s.sep,
    pad_token: s.pad,
    unk_token: s.unk,
    mask_token: s.mask,
    model_max_length: maxLength,
  });
  return written;
}
