/**
 * The architecture of a BERT-style encoder, with the mapping to and from Hugging Face's
 * `config.json` (BertConfig field names), shared by the tfjs model, the ONNX exporter and the
 * safetensors checkpoints.
 *
 * @module
 */

/** How token states become one embedding. */
export type Pooling = "cls" | "mean";

/** Architecture of a BERT encoder (Hugging Face `BertModel`, post-LN, erf-GELU). */
export interface BertConfig {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly intermediateSize: number;
  readonly maxPositions: number;
  /** Segment (token type) vocabulary; 2 in BERT. */
  readonly typeVocabSize: number;
  /** LayerNorm epsilon; 1e-12 in BERT. */
  readonly layerNormEps: number;
}

/** A named float32 tensor as checkpoints hold it (row-major, PyTorch layouts: Linear is [out, in]). */
export interface NamedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Parameters by Hugging Face name, e.g. `encoder.layer.0.attention.self.query.weight`. */
export type NamedTensors = ReadonlyMap<string, NamedTensor>;

/** BERT defaults for the fields a caller may omit. */
export const BERT_DEFAULTS = { typeVocabSize: 2, layerNormEps: 1e-12, maxPositions: 512 } as const;

/** Convert to Hugging Face `config.json` fields (`model_type: "bert"`). */
export function toHfConfig(config: BertConfig): Record<string, unknown> {
  return {
    model_type: "bert",
    architectures: ["BertModel"],
    vocab_size: config.vocabSize,
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numLayers,
    num_attention_heads: config.numHeads,
    intermediate_size: config.intermediateSize,
    max_position_embeddings: config.maxPositions,
    type_vocab_size: config.typeVocabSize,
    layer_norm_eps: config.layerNormEps,
    hidden_act: "gelu",
  };
}

/** Read the BERT fields of a Hugging Face `config.json`; throws naming the missing or bad field. */
export function fromHfConfig(json: Record<string, unknown>, source = "config.json"): BertConfig {
  const num = (key: string, fallback?: number): number => {
    const value = json[key] ?? fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new TypeError(
        `Cannot read "${key}" of ${source}: expected a positive number, found ${
          JSON.stringify(value)
        }`,
      );
    }
    return value;
  };
  const act = json["hidden_act"] ?? "gelu";
  if (act !== "gelu") {
    throw new TypeError(
      `Cannot use "hidden_act" of ${source}: expected "gelu", found ${JSON.stringify(act)}`,
    );
  }
  return {
    vocabSize: num("vocab_size"),
    hiddenSize: num("hidden_size"),
    numLayers: num("num_hidden_layers"),
    numHeads: num("num_attention_heads"),
    intermediateSize: num("intermediate_size"),
    maxPositions: num("max_position_embeddings", BERT_DEFAULTS.maxPositions),
    typeVocabSize: num("type_vocab_size", BERT_DEFAULTS.typeVocabSize),
    layerNormEps: num("layer_norm_eps", BERT_DEFAULTS.layerNormEps),
  };
}
