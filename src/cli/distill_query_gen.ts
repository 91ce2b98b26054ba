/**
 * The distill CLI's query generation: the generator `--query-gen` names (the offline
 * salient-term generator, or a seq2seq ONNX folder) and the unlabelled documents it generates
 * from (the dataset's `pool.jsonl`, else the corpus documents no training or dev judgment names).
 *
 * @module
 */

import { join } from "node:path";
import { pathExists } from "../io/mod.ts";
import {
  type QueryGenerator,
  type QueryTokenizer,
  SalientTermGenerator,
  Seq2SeqQueryGenerator,
  vocabQueryTokenizer,
  wordPieceQueryTokenizer,
} from "../querygen/mod.ts";
import { loadTokenizerJson, WordPieceTokenizer } from "../text/mod.ts";
import { type QueryGenSource, UsageError } from "./distill_options.ts";

/** An open generator and how to release it. */
export interface OpenGenerator {
  readonly generator: QueryGenerator;
  /** Release what the generator holds (ONNX sessions); a no-op for the salient generator. */
  readonly close: () => Promise<void>;
}

function tokenId(config: Record<string, unknown>, field: string, path: string): number {
  const value = config[field];
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new TypeError(
      `Cannot use the seq2seq query generator: "${path}" needs an integer "${field}" >= 0, found ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

async function seq2seqTokenizer(
  dir: string,
  config: Record<string, unknown>,
  configPath: string,
): Promise<QueryTokenizer> {
  const tokenizerJson = join(dir, "tokenizer.json");
  if (await pathExists(tokenizerJson)) {
    return wordPieceQueryTokenizer(new WordPieceTokenizer(await loadTokenizerJson(tokenizerJson)));
  }
  const vocabPath = join(dir, "vocab.txt");
  if (!(await pathExists(vocabPath))) {
    throw new Deno.errors.NotFound(
      `Cannot use the seq2seq query generator in "${dir}": expected tokenizer.json (WordPiece) or vocab.txt (one token per line), found neither`,
    );
  }
  const tokens = (await Deno.readTextFile(vocabPath)).split("\n").map((t) => t.trim());
  while (tokens.at(-1) === "") tokens.pop();
  const token = (field: string, fallback?: string) => {
    if (config[field] === undefined && fallback !== undefined) return fallback;
    const id = tokenId(config, field, configPath);
    const t = tokens[id];
    if (t === undefined) {
      throw new RangeError(
        `Cannot use the seq2seq query generator: "${field}" ${id} of "${configPath}" is outside the ${tokens.length} tokens of "${vocabPath}"`,
      );
    }
    return t;
  };
  return vocabQueryTokenizer(tokens, {
    unk: token("unk_token_id", "<unk>"),
    eos: token("eos_token_id"),
    pad: token("pad_token_id"),
  });
}

/**
 * Open the seq2seq generator of `dir`: `encoder_model.onnx` and `decoder_model.onnx` (or under
 * `onnx/`), `config.json` with `decoder_start_token_id`, `eos_token_id` and `pad_token_id`, and
 * a tokenizer: `tokenizer.json` (WordPiece) or `vocab.txt` (whitespace words, inputs ending in
 * the eos token, T5 style; `unk_token_id` of config.json, else `<unk>`). Greedy decoding for one
 * query per document, else seeded top-10 sampling.
 */
export async function openSeq2SeqGenerator(
  dir: string,
  perDocument: number,
): Promise<Seq2SeqQueryGenerator> {
  const configPath = join(dir, "config.json");
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(await Deno.readTextFile(configPath));
  } catch (error) {
    throw new TypeError(
      `Cannot use the seq2seq query generator in "${dir}": cannot read "${configPath}" (${
        error instanceof Error ? error.message : String(error)
      })`,
    );
  }
  return await Seq2SeqQueryGenerator.openDirectory(dir, {
    tokenizer: await seq2seqTokenizer(dir, config, configPath),
    decoderStartId: tokenId(config, "decoder_start_token_id", configPath),
    eosId: tokenId(config, "eos_token_id", configPath),
    padId: tokenId(config, "pad_token_id", configPath),
    queriesPerDocument: perDocument,
    decoding: perDocument === 1
      ? { kind: "greedy" }
      : { kind: "top-k", k: 10, temperature: 1, seed: 0 },
  });
}

/**
 * The generator `--query-gen` names: `salient` (the salient-term generator with its defaults
 * and `perDocument` queries per document) or a seq2seq folder ({@link openSeq2SeqGenerator}).
 * A folder that does not exist is a {@link UsageError}.
 */
export async function openQueryGenerator(
  source: QueryGenSource,
  perDocument: number,
): Promise<OpenGenerator> {
  if (source.kind === "salient") {
    const generator = new SalientTermGenerator({ queriesPerDocument: perDocument });
    return { generator, close: () => Promise.resolve() };
  }
  if (!(await pathExists(source.dir))) {
    throw new UsageError(
      `--query-gen must be "salient" or a seq2seq ONNX folder, found "${source.dir}" (no such folder)`,
    );
  }
  const generator = await openSeq2SeqGenerator(source.dir, perDocument);
  return { generator, close: () => generator.close() };
}
