/**
 * Tests of the ONNX seq2seq query generator on tiny hand-weighted encoder/decoder graphs: exact
 * greedy output (copy and fixed pattern), top-k sampling against a reference simulation of the
 * copy model, determinism per seed, batching, config hashing and graph checks.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { deriveSeed, seededRandom } from "../engine/mod.ts";
import { topKDistribution } from "./decode.ts";
import {
  buildCopyDecoder,
  buildPatternDecoder,
  buildTinyEncoder,
  COPY_BIAS,
  TINY_SEQ2SEQ_IDS,
  TINY_SEQ2SEQ_VOCAB,
} from "./seq2seq_fixture.ts";
import { Seq2SeqQueryGenerator } from "./seq2seq.ts";
import type { Seq2SeqOptions } from "./seq2seq_config.ts";
import { vocabQueryTokenizer } from "./tokenizer.ts";

/** T5-style inputs: words then `</s>`, no `<s>`. */
const tokenizer = vocabQueryTokenizer(TINY_SEQ2SEQ_VOCAB, {
  unk: "<unk>",
  eos: "</s>",
  pad: "<pad>",
});

const DOCS = [
  { id: "a", title: "", text: "alpha beta gamma" },
  { id: "b", title: "", text: "zeta" },
  { id: "c", title: "", text: "theta eta epsilon zeta beta alpha delta" },
  { id: "d", title: "", text: "gamma gamma" },
];

function options(decoder: Uint8Array, extra: Partial<Seq2SeqOptions> = {}): Seq2SeqOptions {
  return {
    encoder: buildTinyEncoder(),
    decoder,
    tokenizer,
    decoderStartId: TINY_SEQ2SEQ_IDS.bos,
    eosId: TINY_SEQ2SEQ_IDS.eos,
    padId: TINY_SEQ2SEQ_IDS.pad,
    maxOutputLength: 12,
    session: { intraOpThreads: 1, interOpThreads: 1 },
    ...extra,
  };
}

async function withGenerator<T>(
  o: Seq2SeqOptions,
  fn: (g: Seq2SeqQueryGenerator) => Promise<T>,
): Promise<T> {
  const g = await Seq2SeqQueryGenerator.open(o);
  try {
    return await fn(g);
  } finally {
    await g.close();
  }
}

Deno.test("greedy decoding of the copy model reproduces each input exactly, at any batch size", async () => {
  await withGenerator(options(buildCopyDecoder()), async (g) => {
    const one = await g.generate(DOCS, { batchSize: 1 });
    const all = await g.generate(DOCS, { batchSize: 3 });
    assert.deepStrictEqual(one.map((q) => q.text), DOCS.map((d) => d.text));
    assert.deepStrictEqual(all, one);
    assert.deepStrictEqual(one.map((q) => q.id), ["a#q0", "b#q0", "c#q0", "d#q0"]);
    assert.equal(one[0]!.generator, `seq2seq:${g.configHash.slice(0, 16)}`);
  });
});

Deno.test("greedy decoding of the pattern model follows its token chain and stops at maxOutputLength", async () => {
  const chain = new Map([[1, 4], [4, 5], [5, 6], [6, 7]]); // <s> -> alpha beta gamma delta </s>
  await withGenerator(options(buildPatternDecoder(chain)), async (g) => {
    const out = await g.generate(DOCS.slice(0, 2));
    assert.deepStrictEqual(out.map((q) => q.text), [
      "alpha beta gamma delta",
      "alpha beta gamma delta",
    ]);
  });
  // Without `</s>` an empty text has no ids: such a document yields no query.
  const bare = vocabQueryTokenizer(TINY_SEQ2SEQ_VOCAB, { unk: "<unk>" });
  await withGenerator(options(buildPatternDecoder(chain), { tokenizer: bare }), async (g) => {
    const out = await g.generate([{ id: "e", title: "", text: " " }, DOCS[0]!]);
    assert.deepStrictEqual(out.map((q) => [q.docId, q.text]), [["a", "alpha beta gamma delta"]]);
  });
  await withGenerator(options(buildPatternDecoder(chain), { maxOutputLength: 2 }), async (g) => {
    assert.deepStrictEqual((await g.generate(DOCS.slice(0, 1))).map((q) => q.text), ["alpha beta"]);
  });
});

/**
 * Reference of the copy model in float64: at decoder position t the encoder state at t (an
 * unmasked one) is copied with logit `sharpness`; past the input the attention is uniform over
 * the input, so each token gets sharpness x (its count / input length); plus COPY_BIAS x id.
 */
function copyLogits(input: readonly number[], t: number, sharpness: number): number[] {
  const logits = Array.from({ length: TINY_SEQ2SEQ_VOCAB.length }, (_, v) => COPY_BIAS * v);
  if (t < input.length) logits[input[t]!]! += sharpness;
  else for (const id of input) logits[id]! += sharpness / input.length;
  return logits;
}

function referenceTopK(
  docId: string,
  text: string,
  j: number,
  k: number,
  seed: number,
  sharpness: number,
): string {
  const input = tokenizer.encode(text, 512);
  const random = seededRandom(deriveSeed(seed, `seq2seq/${docId}/${j}`));
  const out: number[] = [];
  for (let t = 0; t < 12; t++) {
    const { ids, probabilities } = topKDistribution(copyLogits(input, t, sharpness), 0, 12, k, 1);
    let u = random();
    let token = ids[ids.length - 1]!;
    for (let i = 0; i < ids.length; i++) {
      u -= probabilities[i]!;
      if (u < 0) {
        token = ids[i]!;
        break;
      }
    }
    if (token === TINY_SEQ2SEQ_IDS.eos) break;
    out.push(token);
  }
  return tokenizer.decode(out);
}

Deno.test("top-k sampling matches a reference simulation and is deterministic per seed", async () => {
  const sharpness = 2;
  const run = (seed: number, batchSize: number) =>
    withGenerator(
      options(buildCopyDecoder(sharpness), {
        decoding: { kind: "top-k", k: 3, temperature: 1, seed },
        queriesPerDocument: 3,
      }),
      (g) => g.generate(DOCS, { batchSize }),
    );
  const a = await run(7, 4);
  assert.deepStrictEqual(await run(7, 1), a);
  const b = await run(8, 4);
  assert.notDeepStrictEqual(b.map((q) => q.text), a.map((q) => q.text));
  for (const [seed, got] of [[7, a], [8, b]] as const) {
    const expected = DOCS.flatMap((d) => {
      const texts = [0, 1, 2].map((j) => referenceTopK(d.id, d.text, j, 3, seed, sharpness));
      return [...new Set(texts.filter((t) => t !== ""))].map((text) => ({ docId: d.id, text }));
    });
    assert.deepStrictEqual(got.map((q) => ({ docId: q.docId, text: q.text })), expected);
  }
  // Top-1 sampling is greedy decoding.
  const top1 = await withGenerator(
    options(buildCopyDecoder(sharpness), {
      decoding: { kind: "top-k", k: 1, temperature: 1, seed: 3 },
    }),
    (g) => g.generate(DOCS),
  );
  assert.deepStrictEqual(top1.map((q) => q.text), DOCS.map((d) => d.text));
});

Deno.test("the seq2seq config hashes the graphs and decoding; bad settings are refused", async () => {
  const configOf = (o: Seq2SeqOptions) =>
    withGenerator(o, (g) => Promise.resolve({ config: g.config, hash: g.configHash }));
  const copy = await configOf(options(buildCopyDecoder()));
  const sharper = await configOf(options(buildCopyDecoder(3)));
  const sampled = await configOf(
    options(buildCopyDecoder(), { decoding: { kind: "top-k", k: 2, temperature: 1, seed: 0 } }),
  );
  assert.equal((await configOf(options(buildCopyDecoder()))).hash, copy.hash);
  assert.equal(sharper.config.encoderSha256, copy.config.encoderSha256);
  assert.notEqual(sharper.config.decoderSha256, copy.config.decoderSha256);
  assert.equal(copy.config.tokenizer, tokenizer.id);
  assert.equal(new Set([copy.hash, sharper.hash, sampled.hash]).size, 3);
  await assert.rejects(
    Seq2SeqQueryGenerator.open(options(buildCopyDecoder(), { queriesPerDocument: 2 })),
    RangeError,
  );
  await assert.rejects(
    Seq2SeqQueryGenerator.open(
      options(buildCopyDecoder(), { names: { decoderEncoderHiddenStates: "encoder_outputs" } }),
    ),
    TypeError,
  );
  await assert.rejects(
    Seq2SeqQueryGenerator.open(options(buildCopyDecoder(), { names: { encoderOutput: "hidden" } })),
    TypeError,
  );
});

Deno.test("openDirectory finds the optimum layout under onnx/", async () => {
  const dir = await Deno.makeTempDir({ prefix: "qgen-seq2seq-" });
  try {
    await Deno.mkdir(join(dir, "onnx"));
    await Deno.writeFile(join(dir, "onnx", "encoder_model.onnx"), buildTinyEncoder());
    await Deno.writeFile(join(dir, "onnx", "decoder_model.onnx"), buildCopyDecoder());
    const { encoder: _e, decoder: _d, ...rest } = options(buildCopyDecoder());
    const g = await Seq2SeqQueryGenerator.openDirectory(dir, rest);
    try {
      assert.deepStrictEqual((await g.generate(DOCS.slice(0, 1))).map((q) => q.text), [
        "alpha beta gamma",
      ]);
      const inMemory = await withGenerator(
        options(buildCopyDecoder()),
        (m) => Promise.resolve(m.configHash),
      );
      assert.equal(g.configHash, inMemory, "a file and its bytes hash the same");
    } finally {
      await g.close();
    }
    await assert.rejects(Seq2SeqQueryGenerator.openDirectory(join(dir, "onnx", "none"), rest));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
