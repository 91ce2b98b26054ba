/**
 * Batch encoding of tokenised texts with an ONNX encoder in ONNX Runtime: sequences are sorted by
 * length so each batch pads little, run in bounded batches, pooled / normalised as the encoder's
 * config says, and returned in the caller's order.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  type OnnxEncoderConfig,
  onnxEncoderConfigJson,
  readOnnxEncoderConfig,
} from "./encoder_config.ts";
import type { Matrix } from "../../io/mod.ts";
import { ONNX_MODEL_FILE } from "./export.ts";
import { normalizeRows, poolEncoderOutput } from "./output_pooling.ts";
import {
  createOnnxSession,
  onnxRuntime,
  type OnnxSession,
  type OnnxSessionOptions,
  type OnnxSessionSettings,
} from "../../engine/mod.ts";

/** Progress of an encoding run, in sequences. */
export interface EncodeProgress {
  readonly done: number;
  readonly total: number;
}

/** Options of {@linkcode OnnxEncoder.encode}. */
export interface EncodeOptions {
  /** Longest sequence accepted (tokens, specials included); longer ones are a RangeError. */
  readonly maxLength: number;
  /** Sequences per session run; default 32. */
  readonly batchSize?: number;
  /** Cap on padded tokens (rows x longest row) per run, bounding memory; default none. */
  readonly maxBatchTokens?: number;
  /** Called after each batch. */
  readonly onProgress?: (progress: EncodeProgress) => void;
}

/** Options of {@linkcode OnnxEncoder.load}. */
export interface OnnxEncoderLoadOptions {
  /** Config to use instead of the directory's `onnx_encoder.json`. */
  readonly config?: OnnxEncoderConfig;
  /** Model file inside the directory; default `model.onnx`. */
  readonly modelFile?: string;
  /** Threads and execution provider (defaults: the engine's). */
  readonly session?: OnnxSessionOptions;
}

type IntType = "int64" | "int32";

/** Provenance of an encoder, from {@linkcode OnnxEncoder.describe}. */
export interface OnnxEncoderInfo {
  /** The model file, or null for a session opened elsewhere. */
  readonly modelPath: string | null;
  readonly modelSha256: string | null;
  /** `onnx_encoder.json` contents in effect. */
  readonly config: Record<string, unknown>;
  readonly inputType: IntType;
  /** Input ids, attention mask and segment input (null when the graph has none) used. */
  readonly inputs: readonly [string, string, string | null];
  readonly output: string;
  /** Execution provider, threads and optimisation level actually used. */
  readonly session: OnnxSessionSettings;
}

/** A loaded ONNX encoder. Call `close` to release the native session. */
export class OnnxEncoder {
  readonly #session: OnnxSession["session"];
  readonly #intType: IntType;
  readonly #tokenTypes: string | undefined;
  readonly #output: string;

  readonly #modelPath: string | null;
  readonly #settings: OnnxSessionSettings;
  #sha256: Promise<string> | undefined;

  private constructor(
    onnx: OnnxSession,
    readonly config: OnnxEncoderConfig,
    modelPath: string | null,
  ) {
    const session = onnx.session;
    this.#session = session;
    this.#modelPath = modelPath;
    this.#settings = onnx.settings;
    const inputs = new Map(
      session.inputMetadata.map((m) => [m.name, m.isTensor ? m.type : "non-tensor"]),
    );
    for (const name of [config.inputIds, config.attentionMask]) {
      if (!inputs.has(name)) {
        throw new TypeError(
          `Cannot use the ONNX encoder: it has no input "${name}" (inputs: ${
            [...inputs.keys()].join(", ")
          })`,
        );
      }
    }
    const idType = inputs.get(config.inputIds);
    if (idType !== "int64" && idType !== "int32") {
      throw new TypeError(
        `Cannot use the ONNX encoder: input "${config.inputIds}" must be int64 or int32, found ${idType}`,
      );
    }
    this.#intType = idType;
    if (config.tokenTypeIds === null) this.#tokenTypes = undefined;
    else if (config.tokenTypeIds !== undefined) {
      if (!inputs.has(config.tokenTypeIds)) {
        throw new TypeError(
          `Cannot use the ONNX encoder: it has no input "${config.tokenTypeIds}"`,
        );
      }
      this.#tokenTypes = config.tokenTypeIds;
    } else {
      this.#tokenTypes = inputs.has("token_type_ids") ? "token_type_ids" : undefined;
    }
    const output = config.outputName ?? session.outputNames[0];
    if (output === undefined || !session.outputNames.includes(output)) {
      throw new TypeError(
        `Cannot use the ONNX encoder: it has no output "${output}" (outputs: ${
          session.outputNames.join(", ")
        })`,
      );
    }
    this.#output = output;
  }

  /** Wrap an open session (e.g. from the engine's session factory). */
  static fromSession(session: OnnxSession, config: OnnxEncoderConfig): OnnxEncoder {
    return new OnnxEncoder(session, config, null);
  }

  /** Load `dir/model.onnx` with `dir/onnx_encoder.json` (or the given config). */
  static async load(dir: string, options: OnnxEncoderLoadOptions = {}): Promise<OnnxEncoder> {
    const config = options.config ?? await readOnnxEncoderConfig(dir);
    const path = join(dir, options.modelFile ?? ONNX_MODEL_FILE);
    const onnx = await createOnnxSession(path, options.session ?? {});
    try {
      return new OnnxEncoder(onnx, config, path);
    } catch (error) {
      await onnx.session.release();
      throw error;
    }
  }

  /** Encode queries, accepting up to `config.queryMaxLength` tokens. */
  encodeQueries(
    sequences: readonly ArrayLike<number>[],
    options: Omit<EncodeOptions, "maxLength"> = {},
  ): Promise<Matrix> {
    return this.encode(sequences, { ...options, maxLength: this.config.queryMaxLength });
  }

  /** Encode documents, accepting up to `config.docMaxLength` tokens. */
  encodeDocuments(
    sequences: readonly ArrayLike<number>[],
    options: Omit<EncodeOptions, "maxLength"> = {},
  ): Promise<Matrix> {
    return this.encode(sequences, { ...options, maxLength: this.config.docMaxLength });
  }

  /**
   * Encode token id sequences (each already tokenised with its special tokens). Sequences are
   * sorted by length (longest first) and run in batches of at most `batchSize` sequences and
   * `maxBatchTokens` padded tokens, each padded to its own longest sequence; the result is in
   * input order.
   */
  async encode(
    sequences: readonly ArrayLike<number>[],
    options: EncodeOptions,
  ): Promise<Matrix> {
    const batchSize = options.batchSize ?? 32;
    const maxTokens = options.maxBatchTokens ?? Infinity;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`Cannot encode in batches of ${batchSize}: expected >= 1`);
    }
    if (!(maxTokens >= options.maxLength)) {
      throw new RangeError(
        `Cannot encode with maxBatchTokens ${maxTokens}: expected at least maxLength ${options.maxLength}`,
      );
    }
    sequences.forEach((s, i) => {
      if (s.length === 0 || s.length > options.maxLength) {
        throw new RangeError(
          `Cannot encode sequence ${i}: it has ${s.length} tokens, expected 1 to ${options.maxLength}`,
        );
      }
    });
    const order = sequences.map((_, i) => i).sort((a, b) =>
      sequences[b]!.length - sequences[a]!.length || a - b
    );
    let vectors = new Float32Array(0);
    let dims = 0;
    let start = 0;
    while (start < order.length) {
      // Longest first: the first row of a batch sets its padded length.
      const longest = sequences[order[start]!]!.length;
      const size = Math.max(1, Math.min(batchSize, Math.floor(maxTokens / longest)));
      const rows = order.slice(start, start + size);
      const pooled = await this.#runBatch(rows.map((i) => sequences[i]!));
      if (start === 0) {
        dims = pooled.length / rows.length;
        vectors = new Float32Array(sequences.length * dims);
      }
      rows.forEach((row, b) => vectors.set(pooled.subarray(b * dims, (b + 1) * dims), row * dims));
      start += rows.length;
      options.onProgress?.({ done: start, total: sequences.length });
    }
    return { count: sequences.length, dims, vectors };
  }

  async #runBatch(batch: readonly ArrayLike<number>[]): Promise<Float32Array> {
    const seq = Math.max(...batch.map((s) => s.length));
    const n = batch.length * seq;
    const wide = this.#intType === "int64";
    const ids = wide ? new BigInt64Array(n) : new Int32Array(n);
    const mask = wide ? new BigInt64Array(n) : new Int32Array(n);
    batch.forEach((s, b) => {
      for (let t = 0; t < seq; t++) {
        const present = t < s.length;
        const id = present ? s[t]! : this.config.padTokenId;
        if (wide) {
          (ids as BigInt64Array)[b * seq + t] = BigInt(id);
          (mask as BigInt64Array)[b * seq + t] = present ? 1n : 0n;
        } else {
          (ids as Int32Array)[b * seq + t] = id;
          (mask as Int32Array)[b * seq + t] = present ? 1 : 0;
        }
      }
    });
    const shape = [batch.length, seq];
    const { Tensor } = await onnxRuntime();
    const feeds: Record<string, InstanceType<typeof Tensor>> = {
      [this.config.inputIds]: new Tensor(this.#intType, ids, shape),
      [this.config.attentionMask]: new Tensor(this.#intType, mask, shape),
    };
    if (this.#tokenTypes !== undefined) {
      feeds[this.#tokenTypes] = new Tensor(
        this.#intType,
        wide ? new BigInt64Array(n) : new Int32Array(n),
        shape,
      );
    }
    const result = await this.#session.run(feeds, [this.#output]);
    const out = result[this.#output]!;
    const data = out.data;
    if (!(data instanceof Float32Array)) {
      throw new TypeError(
        `Cannot use output "${this.#output}": expected float32, found ${out.type}`,
      );
    }
    const lengths = batch.map((row) => row.length);
    const pooled = poolEncoderOutput(data, out.dims, lengths, this.config.pooling, this.#output);
    if (this.config.normalize || this.config.similarity === "cosine") {
      normalizeRows(pooled, batch.length);
    }
    return pooled;
  }

  /**
   * What a result records about this encoder: model file and its SHA-256 (hashed once, streaming),
   * the config as JSON, the graph inputs/outputs used, and the session options.
   */
  async describe(): Promise<OnnxEncoderInfo> {
    const path = this.#modelPath;
    if (path !== null) this.#sha256 ??= sha256File(path);
    return {
      modelPath: path,
      modelSha256: path === null ? null : await this.#sha256!,
      config: onnxEncoderConfigJson(this.config),
      inputType: this.#intType,
      inputs: [this.config.inputIds, this.config.attentionMask, this.#tokenTypes ?? null],
      output: this.#output,
      session: this.#settings,
    };
  }

  /** Release the native session. */
  close(): Promise<void> {
    return this.#session.release();
  }
}

/** SHA-256 (hex) of a file, read in 1 MiB chunks. */
async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(1 << 20);
  for (;;) {
    const n = await file.read(buffer);
    if (n === null) break;
    hash.update(buffer.subarray(0, n));
  }
  return hash.digest("hex");
}
