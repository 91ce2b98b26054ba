/**
 * A seq2seq doc-to-query generator (the paper's BART setting; doc2query T5 fits too) run with ONNX
 * Runtime on a user-exported encoder/decoder pair, decoding greedily or by seeded top-k sampling.
 *
 * @module
 */

import type { Document } from "../data/mod.ts";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type * as ort from "onnxruntime-node";
import { createOnnxSession, onnxRuntime } from "../engine/mod.ts";
import { deriveSeed, type RandomSource, seededRandom } from "../engine/mod.ts";
import {
  checkInteger,
  type GeneratedQuery,
  generatedQueryId,
  type GenerateOptions,
  generatorLabel,
  type QueryGenerator,
} from "./generator.ts";
import { argMax, sampleTopK, validateDecoding } from "./decode.ts";
import { configHash } from "./hash.ts";
import { documentText } from "./terms.ts";
import type { QueryTokenizer } from "./tokenizer.ts";
import {
  OPTIMUM_SEQ2SEQ_NAMES,
  type Seq2SeqConfig,
  type Seq2SeqGraphNames,
  type Seq2SeqOptions,
} from "./seq2seq_config.ts";

async function sha256Of(model: string | Uint8Array): Promise<string> {
  const hash = createHash("sha256");
  if (typeof model !== "string") return hash.update(model).digest("hex");
  const file = await Deno.open(model, { read: true });
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}

type IntType = "int64" | "int32";

function idType(session: ort.InferenceSession, name: string, graph: string): IntType {
  const meta = session.inputMetadata.find((m) => m.name === name);
  if (meta === undefined) {
    throw new TypeError(
      `Cannot use the ${graph} graph: it has no input "${name}" (inputs: ${
        session.inputNames.join(", ")
      })`,
    );
  }
  const type = meta.isTensor ? meta.type : "non-tensor";
  if (type !== "int64" && type !== "int32") {
    throw new TypeError(
      `Cannot use the ${graph} graph: input "${name}" must be int64 or int32, found ${type}`,
    );
  }
  return type;
}

function checkOutput(session: ort.InferenceSession, name: string, graph: string): void {
  if (!session.outputNames.includes(name)) {
    throw new TypeError(
      `Cannot use the ${graph} graph: it has no output "${name}" (outputs: ${
        session.outputNames.join(", ")
      })`,
    );
  }
}

/**
 * Doc-to-query generation with an exported encoder-decoder. Decoding re-runs the decoder on the
 * whole prefix at each step (no KV cache: O(length^2) decoder work, simple and exact); finished
 * rows leave the batch. Call `close` to release the sessions.
 */
export class Seq2SeqQueryGenerator implements QueryGenerator {
  readonly config: Seq2SeqConfig;
  readonly configHash: string;
  readonly names: Seq2SeqGraphNames;
  readonly #label: string;
  readonly #encoder: ort.InferenceSession;
  readonly #decoder: ort.InferenceSession;
  readonly #tokenizer: QueryTokenizer;
  readonly #runtime: typeof ort;
  readonly #types: {
    readonly encoder: IntType;
    readonly mask: IntType;
    readonly decoder: IntType;
    readonly decoderMask: IntType;
  };

  private constructor(
    config: Seq2SeqConfig,
    names: Seq2SeqGraphNames,
    sessions: { readonly encoder: ort.InferenceSession; readonly decoder: ort.InferenceSession },
    tokenizer: QueryTokenizer,
    runtime: typeof ort,
  ) {
    this.config = config;
    this.configHash = configHash(config);
    this.#label = generatorLabel(config, this.configHash);
    this.names = names;
    this.#encoder = sessions.encoder;
    this.#decoder = sessions.decoder;
    this.#tokenizer = tokenizer;
    this.#runtime = runtime;
    this.#types = {
      encoder: idType(sessions.encoder, names.encoderInputIds, "encoder"),
      mask: idType(sessions.encoder, names.encoderAttentionMask, "encoder"),
      decoder: idType(sessions.decoder, names.decoderInputIds, "decoder"),
      decoderMask: idType(sessions.decoder, names.decoderEncoderAttentionMask, "decoder"),
    };
    if (!sessions.decoder.inputNames.includes(names.decoderEncoderHiddenStates)) {
      throw new TypeError(
        `Cannot use the decoder graph: it has no input "${names.decoderEncoderHiddenStates}"`,
      );
    }
    checkOutput(sessions.encoder, names.encoderOutput, "encoder");
    checkOutput(sessions.decoder, names.decoderOutput, "decoder");
  }

  /** Open the two graphs and hash them into the config. */
  static async open(options: Seq2SeqOptions): Promise<Seq2SeqQueryGenerator> {
    const decoding = validateDecoding(options.decoding ?? { kind: "greedy" });
    const queriesPerDocument = checkInteger(
      options.queriesPerDocument ?? 1,
      1,
      "queriesPerDocument",
    );
    if (decoding.kind === "greedy" && queriesPerDocument !== 1) {
      throw new RangeError(
        `Cannot generate "${queriesPerDocument}" queries per document greedily: greedy decoding gives one; use top-k sampling`,
      );
    }
    const config: Seq2SeqConfig = {
      kind: "seq2seq",
      version: 1,
      encoderSha256: await sha256Of(options.encoder),
      decoderSha256: await sha256Of(options.decoder),
      tokenizer: options.tokenizer.id,
      decoding,
      queriesPerDocument,
      maxInputLength: checkInteger(options.maxInputLength ?? 512, 1, "maxInputLength"),
      maxOutputLength: checkInteger(options.maxOutputLength ?? 32, 1, "maxOutputLength"),
      decoderStartId: checkInteger(options.decoderStartId, 0, "decoderStartId"),
      eosId: checkInteger(options.eosId, 0, "eosId"),
      padId: checkInteger(options.padId, 0, "padId"),
      includeTitle: options.includeTitle ?? true,
      inputPrefix: options.inputPrefix ?? "",
    };
    const names = { ...OPTIMUM_SEQ2SEQ_NAMES, ...options.names };
    const runtime = await onnxRuntime();
    const encoder = (await createOnnxSession(options.encoder, options.session ?? {})).session;
    let decoder: ort.InferenceSession | undefined;
    try {
      decoder = (await createOnnxSession(options.decoder, options.session ?? {})).session;
      return new Seq2SeqQueryGenerator(
        config,
        names,
        { encoder, decoder },
        options.tokenizer,
        runtime,
      );
    } catch (error) {
      await encoder.release();
      await decoder?.release();
      throw error;
    }
  }

  /**
   * Open `dir/encoder_model.onnx` and `dir/decoder_model.onnx` (or the same under `dir/onnx/`,
   * transformers.js's layout).
   */
  static async openDirectory(
    dir: string,
    options: Omit<Seq2SeqOptions, "encoder" | "decoder">,
  ): Promise<Seq2SeqQueryGenerator> {
    for (const base of [dir, join(dir, "onnx")]) {
      const encoder = join(base, "encoder_model.onnx");
      const decoder = join(base, "decoder_model.onnx");
      const exists = async (p: string) => (await Deno.stat(p).catch(() => null))?.isFile === true;
      if (await exists(encoder) && await exists(decoder)) {
        return await Seq2SeqQueryGenerator.open({ ...options, encoder, decoder });
      }
    }
    throw new Deno.errors.NotFound(
      `Cannot open a seq2seq query generator in "${dir}": expected encoder_model.onnx and decoder_model.onnx there or in its onnx/ folder`,
    );
  }

  /** Release both ONNX Runtime sessions. */
  async close(): Promise<void> {
    await this.#encoder.release();
    await this.#decoder.release();
  }

  #ids(type: IntType, values: ArrayLike<number>, dims: readonly number[]): ort.Tensor {
    const data = type === "int64"
      ? BigInt64Array.from(values, (v) => BigInt(v))
      : Int32Array.from(values);
    return new this.#runtime.Tensor(type, data, [...dims]);
  }

  /** Generate for `documents` in batches of `batchSize` documents (default 8). */
  async generate(
    documents: readonly Document[],
    options: GenerateOptions = {},
  ): Promise<readonly GeneratedQuery[]> {
    const batchSize = checkInteger(options.batchSize ?? 8, 1, "batchSize");
    const out: GeneratedQuery[] = [];
    for (let start = 0; start < documents.length; start += batchSize) {
      const batch = documents.slice(start, start + batchSize);
      const texts = await this.#generateBatch(batch);
      batch.forEach((document, b) => {
        const seen = new Set<string>();
        for (const text of texts[b]!) {
          if (text === "" || seen.has(text)) continue;
          out.push({
            id: generatedQueryId(document.id, seen.size),
            docId: document.id,
            text,
            generator: this.#label,
          });
          seen.add(text);
        }
      });
      options.onProgress?.({ done: start + batch.length, total: documents.length });
    }
    return out;
  }

  /** Encode a batch once, then decode `queriesPerDocument` rows per document. */
  async #generateBatch(batch: readonly Document[]): Promise<string[][]> {
    const c = this.config;
    const n = c.queriesPerDocument;
    const inputs = batch.map((d) =>
      this.#tokenizer.encode(c.inputPrefix + documentText(d, c.includeTitle), c.maxInputLength)
    );
    const width = Math.max(1, ...inputs.map((ids) => ids.length));
    const ids = new Array<number>(batch.length * width).fill(c.padId);
    const mask = new Array<number>(batch.length * width).fill(0);
    inputs.forEach((row, b) =>
      row.forEach((id, s) => {
        ids[b * width + s] = id;
        mask[b * width + s] = 1;
      })
    );
    const names = this.names;
    const encoded = await this.#encoder.run({
      [names.encoderInputIds]: this.#ids(this.#types.encoder, ids, [batch.length, width]),
      [names.encoderAttentionMask]: this.#ids(this.#types.mask, mask, [batch.length, width]),
    });
    const hidden = encoded[names.encoderOutput]!;
    if (
      hidden.type !== "float32" || hidden.dims.length !== 3 || hidden.dims[0] !== batch.length ||
      hidden.dims[1] !== width
    ) {
      throw new TypeError(
        `Cannot decode: encoder output "${names.encoderOutput}" must be float32 [${batch.length}, ${width}, hidden], found ${hidden.type} [${hidden.dims}]`,
      );
    }
    const dims = hidden.dims[2]!;
    const states = hidden.data as Float32Array;
    // A document the tokenizer gives no ids for yields no query.
    const rows = batch.flatMap((d, b) =>
      Array.from({ length: inputs[b]!.length === 0 ? 0 : n }, (_, j) => ({
        doc: b,
        tokens: [c.decoderStartId],
        random: c.decoding.kind === "top-k"
          ? seededRandom(deriveSeed(c.decoding.seed, `seq2seq/${d.id}/${j}`))
          : undefined,
        done: false,
      }))
    );
    for (let step = 0; step < c.maxOutputLength; step++) {
      const active = rows.filter((r) => !r.done);
      if (active.length === 0) break;
      const length = step + 1;
      const stateRow = width * dims;
      const tiled = new Float32Array(active.length * stateRow);
      const tiledMask: number[] = [];
      active.forEach((r, i) => {
        tiled.set(states.subarray(r.doc * stateRow, (r.doc + 1) * stateRow), i * stateRow);
        for (let s = 0; s < width; s++) tiledMask.push(mask[r.doc * width + s]!);
      });
      const result = await this.#decoder.run({
        [names.decoderInputIds]: this.#ids(
          this.#types.decoder,
          active.flatMap((r) => r.tokens),
          [active.length, length],
        ),
        [names.decoderEncoderHiddenStates]: new this.#runtime.Tensor("float32", tiled, [
          active.length,
          width,
          dims,
        ]),
        [names.decoderEncoderAttentionMask]: this.#ids(this.#types.decoderMask, tiledMask, [
          active.length,
          width,
        ]),
      });
      const logits = result[names.decoderOutput]!;
      if (
        logits.type !== "float32" || logits.dims.length !== 3 ||
        logits.dims[0] !== active.length || logits.dims[1] !== length
      ) {
        throw new TypeError(
          `Cannot decode: decoder output "${names.decoderOutput}" must be float32 [${active.length}, ${length}, vocab], found ${logits.type} [${logits.dims}]`,
        );
      }
      const vocab = logits.dims[2]!;
      const values = logits.data as Float32Array;
      active.forEach((r, i) => {
        const offset = (i * length + length - 1) * vocab;
        const token = this.#choose(values, offset, vocab, r.random);
        r.tokens.push(token);
        if (token === c.eosId) r.done = true;
      });
    }
    const texts = batch.map(() => [] as string[]);
    for (const r of rows) {
      const generated = r.tokens.slice(1);
      if (generated[generated.length - 1] === c.eosId) generated.pop();
      texts[r.doc]!.push(this.#tokenizer.decode(generated).trim());
    }
    return texts;
  }

  #choose(
    logits: Float32Array,
    offset: number,
    vocab: number,
    random: RandomSource | undefined,
  ): number {
    const decoding = this.config.decoding;
    switch (decoding.kind) {
      case "greedy":
        return argMax(logits, offset, vocab);
      case "top-k":
        return sampleTopK(logits, offset, vocab, decoding, random!);
      default: {
        const never: never = decoding;
        throw new TypeError(`Cannot decode with unknown decoding ${JSON.stringify(never)}`);
      }
    }
  }
}
