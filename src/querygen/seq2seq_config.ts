/**
 * Configuration, graph names and open options of the seq2seq query generator (the optimum /
 * transformers.js encoder-decoder export layout without KV cache).
 *
 * @module
 */

import type { OnnxSessionOptions } from "../engine/mod.ts";
import type { QueryGeneratorConfig } from "./generator.ts";
import type { Decoding } from "./decode.ts";
import type { QueryTokenizer } from "./tokenizer.ts";

/** Configuration of the seq2seq query generator: everything that changes its output. */
export interface Seq2SeqConfig extends QueryGeneratorConfig {
  readonly kind: "seq2seq";
  readonly version: 1;
  /** SHA-256 of the encoder and decoder `.onnx` bytes. */
  readonly encoderSha256: string;
  readonly decoderSha256: string;
  /** {@linkcode QueryTokenizer.id}. */
  readonly tokenizer: string;
  readonly decoding: Decoding;
  /** Samples per document (1 for greedy); identical samples are kept once. */
  readonly queriesPerDocument: number;
  /** Longest encoder input, in tokens (the tokenizer truncates). */
  readonly maxInputLength: number;
  /** Most generated tokens per query (the decoder start token excluded). */
  readonly maxOutputLength: number;
  /** First decoder input token (BART: `</s>` = 2; T5: `<pad>` = 0). */
  readonly decoderStartId: number;
  /** Generation of a row stops at this token. */
  readonly eosId: number;
  /** Padding of encoder inputs (masked out). */
  readonly padId: number;
  /** Read "title. text" instead of the text alone. */
  readonly includeTitle: boolean;
  /** Text put before every document (some doc2query models were trained with one). */
  readonly inputPrefix: string;
}

/**
 * Input and output names of the two graphs. Defaults: the Hugging Face optimum /
 * transformers.js export without KV cache (`encoder_model.onnx`, `decoder_model.onnx`).
 */
export interface Seq2SeqGraphNames {
  readonly encoderInputIds: string;
  readonly encoderAttentionMask: string;
  readonly encoderOutput: string;
  readonly decoderInputIds: string;
  readonly decoderEncoderHiddenStates: string;
  readonly decoderEncoderAttentionMask: string;
  readonly decoderOutput: string;
}

/** The optimum export's names. */
export const OPTIMUM_SEQ2SEQ_NAMES: Seq2SeqGraphNames = {
  encoderInputIds: "input_ids",
  encoderAttentionMask: "attention_mask",
  encoderOutput: "last_hidden_state",
  decoderInputIds: "input_ids",
  decoderEncoderHiddenStates: "encoder_hidden_states",
  decoderEncoderAttentionMask: "encoder_attention_mask",
  decoderOutput: "logits",
};

/** Options of `Seq2SeqQueryGenerator.open`. */
export interface Seq2SeqOptions {
  /** Encoder graph: a `.onnx` path or its bytes. */
  readonly encoder: string | Uint8Array;
  /** Decoder graph (without past key values): a `.onnx` path or its bytes. */
  readonly decoder: string | Uint8Array;
  readonly tokenizer: QueryTokenizer;
  readonly decoderStartId: number;
  readonly eosId: number;
  readonly padId: number;
  /** Default greedy. */
  readonly decoding?: Decoding;
  /** Default 1. */
  readonly queriesPerDocument?: number;
  /** Default 512. */
  readonly maxInputLength?: number;
  /** Default 32. */
  readonly maxOutputLength?: number;
  /** Default true. */
  readonly includeTitle?: boolean;
  /** Default "". */
  readonly inputPrefix?: string;
  readonly names?: Partial<Seq2SeqGraphNames>;
  /** Threads and execution provider of both sessions (defaults: the engine's). */
  readonly session?: OnnxSessionOptions;
}
