/**
 * Tokeniser throughput on real SciFact text: this suite's WordPiece tokenizer vs
 * `@huggingface/tokenizers` (pure JS, baseline) on the same bert-base-uncased vocabulary.
 * Pure JS on one thread; the names carry the token count and the machine. Skipped with a message
 * when the shared data folder is absent.
 *
 * Run: deno bench --allow-read --allow-env --allow-sys bench/text_bench.ts
 *
 * @module
 */

import { Tokenizer } from "@huggingface/tokenizers";
import { readBeirCorpus } from "../src/data/mod.ts";
import { sharedPath } from "../src/testing/mod.ts";
import { loadBertBaseUncased, toTokenizerJson, WordPieceTokenizer } from "../src/text/mod.ts";
import { formatMachine } from "../src/engine/mod.ts";

const DOCS = 1000;
const corpus = sharedPath("scifact/beir/corpus.jsonl");
const texts: string[] = [];
if (corpus !== undefined) {
  for await (const doc of readBeirCorpus(corpus)) {
    texts.push(doc.title, doc.text);
    if (texts.length === 2 * DOCS) break;
  }
}

const ours = await loadBertBaseUncased();
const hf = new Tokenizer(toTokenizerJson(ours.config), {});
let tokens = 0;
for (const t of texts) tokens += ours.tokenIds(t).length;
const machine = formatMachine();
const suffix = `SciFact ${DOCS} docs, ${tokens} tokens; pure JS, 1 thread; ${machine}`;
const ignore = corpus === undefined;

Deno.bench({
  name: `@huggingface/tokenizers 0.2.0 encode (${suffix})`,
  group: "tokenize",
  baseline: true,
  ignore,
  fn: () => {
    for (const t of texts) hf.encode(t);
  },
});

Deno.bench({
  name: `embeddistill tokenIds, warm word cache (${suffix})`,
  group: "tokenize",
  ignore,
  fn: () => {
    for (const t of texts) ours.tokenIds(t);
  },
});

Deno.bench({
  name: `embeddistill tokenIds, cold word cache (${suffix})`,
  group: "tokenize",
  ignore,
  fn: () => {
    const fresh = new WordPieceTokenizer(ours.config);
    for (const t of texts) fresh.tokenIds(t);
  },
});

Deno.bench({
  name: `embeddistill encodeBatch of 64, maxLength 256 (${suffix})`,
  group: "tokenize",
  ignore,
  fn: () => {
    for (let i = 0; i < texts.length; i += 64) {
      ours.encodeBatch(texts.slice(i, i + 64), { maxLength: 256 });
    }
  },
});
