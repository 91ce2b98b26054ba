/**
 * A dual-encoder model directory made loadable by other tools: the sentence-transformers files
 * (see `st_layout.ts`), `onnx/model.onnx` (the query tower for ONNX consumers such as
 * transformers.js and sentence-transformers' ONNX backend) and a `README.md` model card.
 *
 * `onnx/model.onnx` takes Hugging Face's `input_ids`, `attention_mask`, `token_type_ids` and
 * outputs `last_hidden_state` [batch, seq, dim] (what transformers.js' feature-extraction pipeline
 * pools) and `embedding` [batch, dim] (pooled, projected and, for cosine models, normalised, as
 * the suite's encoder outputs). With a projection, `last_hidden_state` holds the projected token
 * states: pooling them (mean or cls) gives the projected embedding exactly, so a consumer that
 * only pools and normalises reproduces the suite's embeddings. `onnx/` also holds an
 * `onnx_encoder.json` and `tokenizer.json`, so `OnnxTextEncoder.load(dir + "/onnx")` encodes with it. (sentence-transformers' own loading
 * uses `model.safetensors` and the `2_Dense` module, which is exact; its `backend="onnx"` would
 * apply the Dense module again after the already projected ONNX output, so a model with a
 * projection is loaded with the default backend there.)
 *
 * @module
 */

import { join } from "node:path";
import { pathExists, writeFileAtomic } from "../../io/mod.ts";
import { type TokenizerConfig, toTokenizerJson } from "../../text/mod.ts";
import type { NamedTensors } from "../config.ts";
import { type DualEncoderSpec, embeddingDim, towerOf, towerPrefix } from "../architecture.ts";
import { writeSentenceTransformersFiles } from "../st_layout.ts";
import { readTeacherRecord, type TeacherRecord } from "../teacher_record.ts";
import { loadModelDir } from "../model_dir.ts";
import { loadDirTokenizer, TOKENIZER_FILES } from "./text_encoder.ts";
import {
  buildBertOnnx,
  EMBEDDING_OUTPUT,
  ENCODER_INPUTS,
  ONNX_MODEL_FILE,
  saveOnnxModel,
} from "./export.ts";
import { writeOnnxEncoderConfig } from "./encoder_config.ts";

/** Where the ecosystem export puts its ONNX model, relative to the model directory. */
export const ECOSYSTEM_ONNX = { dir: "onnx", file: ONNX_MODEL_FILE } as const;

/** File name of the model card. */
export const MODEL_CARD_FILE = "README.md";

/**
 * Every file and folder {@linkcode exportEcosystemFiles} may write inside a model directory (what
 * a CLI's `--overwrite` removes besides its own outputs).
 */
export const ECOSYSTEM_OUTPUTS: readonly string[] = [
  "modules.json",
  "1_Pooling",
  "2_Dense",
  "2_Normalize",
  "3_Normalize",
  "config_sentence_transformers.json",
  "sentence_bert_config.json",
  "tokenizer_config.json",
  ECOSYSTEM_ONNX.dir,
  MODEL_CARD_FILE,
];

/** Options of {@linkcode exportEcosystemFiles}. */
export interface EcosystemExportOptions {
  /** Write `onnx/model.onnx`; default true. */
  readonly onnx?: boolean;
  /** The teacher whose document tower an asymmetric student's documents need. */
  readonly teacher?: TeacherRecord;
  /**
   * The directory ships its documents' embeddings (`document-embeddings.safetensors`,
   * `document-ids.txt`: the asymmetric student of a cross-encoder); default false.
   */
  readonly shippedDocuments?: boolean;
}

/** What {@linkcode exportEcosystemFiles} wrote. */
export interface EcosystemFiles {
  /** `dir/onnx/model.onnx`, or null when not asked for. */
  readonly onnx: string | null;
  readonly modelCard: string;
  /** Every file written. */
  readonly files: readonly string[];
}

/** The ONNX bytes of the query tower: `last_hidden_state` (projected) and `embedding`. */
export function buildEcosystemOnnx(spec: DualEncoderSpec, weights: NamedTensors): Uint8Array {
  const tower = towerOf(spec, "query");
  const prefix = towerPrefix(spec, "query");
  let projection;
  if (tower.projectionDim !== undefined) {
    const weight = weights.get(`${prefix}projection.weight`);
    const bias = weights.get(`${prefix}projection.bias`);
    if (weight === undefined) {
      throw new RangeError(`Cannot export the query tower: no tensor "${prefix}projection.weight"`);
    }
    projection = bias === undefined ? { weight } : { weight, bias };
  }
  return buildBertOnnx(weights, tower.encoder, {
    pooling: spec.pooling,
    prefix,
    normalize: spec.similarity.kind === "cosine",
    lastHiddenState: true,
    projectTokenStates: true,
    ...(projection === undefined ? {} : { projection }),
  });
}

/** The transformers.js `pipeline` options that reproduce the suite's embeddings of `spec`. */
export function transformersJsOptions(
  spec: DualEncoderSpec,
): { readonly pooling: "mean" | "cls"; readonly normalize: boolean } {
  return { pooling: spec.pooling, normalize: spec.similarity.kind === "cosine" };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The `README.md` model card of a dual encoder's directory. */
export function modelCard(
  spec: DualEncoderSpec,
  teacher?: TeacherRecord,
  shippedDocuments = false,
): string {
  const tower = towerOf(spec, "query");
  const { pooling, normalize } = transformersJsOptions(spec);
  const separate = spec.towers.kind === "separate";
  const lines = [
    "---",
    "library_name: sentence-transformers",
    "pipeline_tag: feature-extraction",
    "tags:",
    "  - sentence-transformers",
    "  - feature-extraction",
    "  - embeddistill",
    "---",
    "",
    "# embeddistill dual encoder",
    "",
    `- BERT: ${
      plural(tower.encoder.numLayers, "layer")
    }, hidden size ${tower.encoder.hiddenSize}, ${plural(tower.encoder.numHeads, "head")}`,
    `- embedding: ${embeddingDim(tower)} dimensions, ${spec.pooling} pooling${
      tower.projectionDim === undefined ? "" : ", linear projection (Dense module)"
    }`,
    `- similarity: ${
      spec.similarity.kind === "cosine"
        ? `cosine (embeddings L2-normalised; trained with scale ${spec.similarity.scale})`
        : "dot product (embeddings not normalised)"
    }`,
    `- lengths: queries ${spec.queryMaxLength} tokens, documents ${spec.documentMaxLength} tokens (documents are \`title + " " + text\`)`,
    ...(spec.prompts?.query === undefined
      ? []
      : [`- query prompt: ${JSON.stringify(spec.prompts.query)}`]),
    ...(spec.prompts?.document === undefined
      ? []
      : [`- document prompt: ${JSON.stringify(spec.prompts.document)}`]),
    "",
  ];
  if (separate) {
    lines.push(
      "## Queries only",
      "",
      "This folder's sentence-transformers model and `onnx/model.onnx` are the **query** encoder.",
    );
    if (teacher !== undefined) {
      lines.push(
        "Documents must be encoded by the teacher this student was distilled from (asymmetric",
        "student: its query embeddings live in the teacher's document space):",
        "",
        `- teacher: \`${teacher.path}\``,
        `- teacher content hash (embeddistill modelHash): \`${teacher.hash}\``,
        "",
        "The same pointer is recorded in `teacher.json`.",
      );
      if (shippedDocuments) {
        lines.push(
          "",
          "The teacher is a cross-encoder: the embeddings of this dataset's documents are shipped",
          "here (`document-embeddings.safetensors`, rows in the order of `document-ids.txt`).",
        );
      }
    } else {
      lines.push(
        "Documents must be encoded by the document tower, exported in `onnx-document/`",
        "(`model.onnx`, `onnx_encoder.json`, `tokenizer.json`).",
      );
    }
    lines.push("");
  }
  lines.push(
    "## Use",
    "",
    "transformers.js (local files; transformers.js does not read `1_Pooling`, so pass pooling and",
    "normalisation):",
    "",
    "```js",
    'import { env, pipeline } from "@huggingface/transformers";',
    "env.allowRemoteModels = false;",
    'env.localModelPath = "/path/to/parent/";',
    'const extractor = await pipeline("feature-extraction", "this-folder-name");',
    `const embeddings = await extractor(texts, { pooling: "${pooling}", normalize: ${normalize} });`,
    "```",
    "",
    ...(spec.prompts === undefined
      ? []
      : ["Put the prompts above before the texts: transformers.js does not add them.", ""]),
    'sentence-transformers: `SentenceTransformer("/path/to/this-folder")`' +
      (tower.projectionDim === undefined
        ? "."
        : ' (default backend: with `backend="onnx"` it would apply the Dense module again after `onnx/model.onnx`, whose token states are already projected).'),
    "",
  );
  return lines.join("\n");
}

/**
 * Make the dual-encoder directory `dir` (already holding the suite's `config.json`,
 * `model.safetensors` and `tokenizer.json`) a sentence-transformers folder too: the module files,
 * `onnx/model.onnx` and `README.md`. Neither `config.json` nor `model.safetensors` changes, so the
 * model's hash does not either.
 */
export async function exportEcosystemFiles(
  dir: string,
  spec: DualEncoderSpec,
  weights: NamedTensors,
  tokenizer: TokenizerConfig,
  options: EcosystemExportOptions = {},
): Promise<EcosystemFiles> {
  const files = await writeSentenceTransformersFiles(dir, spec, weights, tokenizer);
  let onnx: string | null = null;
  if (options.onnx ?? true) {
    onnx = await saveOnnxModel(
      join(dir, ECOSYSTEM_ONNX.dir),
      buildEcosystemOnnx(spec, weights),
      ECOSYSTEM_ONNX.file,
    );
    files.push(onnx);
    // onnx/ is also an OnnxTextEncoder folder (both sides of a shared-tower model, the query side
    // otherwise): the graph's `embedding` output with the model's lengths, prompts and tokenizer.
    const onnxDir = join(dir, ECOSYSTEM_ONNX.dir);
    const tower = towerOf(spec, "query");
    files.push(
      await writeOnnxEncoderConfig(onnxDir, {
        pooling: "none",
        normalize: false,
        similarity: spec.similarity.kind === "cosine" ? "cosine" : "dot",
        queryMaxLength: Math.min(spec.queryMaxLength, tower.encoder.maxPositions),
        docMaxLength: Math.min(spec.documentMaxLength, tower.encoder.maxPositions),
        inputIds: ENCODER_INPUTS.inputIds,
        attentionMask: ENCODER_INPUTS.attentionMask,
        tokenTypeIds: ENCODER_INPUTS.tokenTypeIds,
        outputName: EMBEDDING_OUTPUT,
        padTokenId: tokenizer.vocab.ids.get(tokenizer.specialTokens.pad) ?? 0,
        ...(spec.prompts?.query === undefined ? {} : { queryPrompt: spec.prompts.query }),
        ...(spec.prompts?.document === undefined ? {} : { documentPrompt: spec.prompts.document }),
      }),
    );
    const tokenizerPath = join(onnxDir, TOKENIZER_FILES.json);
    await writeFileAtomic(
      tokenizerPath,
      JSON.stringify(toTokenizerJson(tokenizer), null, 2) + "\n",
    );
    files.push(tokenizerPath);
  }
  const modelCardPath = join(dir, MODEL_CARD_FILE);
  await writeFileAtomic(
    modelCardPath,
    modelCard(spec, options.teacher, options.shippedDocuments ?? false),
  );
  files.push(modelCardPath);
  return { onnx, modelCard: modelCardPath, files };
}

/**
 * Write the ecosystem files of an existing dual-encoder directory from what it holds (its model,
 * tokenizer and `teacher.json`): for directories written before these files existed, e.g. cached
 * teachers. The model's hash does not change. Throws TypeError for a cross-encoder.
 */
export async function completeEcosystemFiles(
  dir: string,
  options: Pick<EcosystemExportOptions, "onnx"> = {},
): Promise<EcosystemFiles> {
  const { spec, weights } = await loadModelDir(dir);
  if (spec.kind !== "dual") {
    throw new TypeError(
      `Cannot write the sentence-transformers files of "${dir}": it holds a ${spec.kind}-encoder, expected a dual encoder`,
    );
  }
  const { tokenizer } = await loadDirTokenizer(dir);
  const teacher = await readTeacherRecord(dir);
  const shippedDocuments = await pathExists(join(dir, "document-embeddings.safetensors"));
  return exportEcosystemFiles(dir, spec, weights, tokenizer.config, {
    ...options,
    shippedDocuments,
    ...(teacher === undefined ? {} : { teacher }),
  });
}
