import assert from "node:assert/strict";
import { buildWordPieceVocab } from "../../text/mod.ts";
import { SYNTHETIC_SIZES, SYNTHETIC_VARIANT_KINDS } from "./params.ts";
import { synthesize } from "./synthesize.ts";
import { syntheticTrainingTexts } from "./training_texts.ts";

const README = new URL("./README.md", import.meta.url);

Deno.test("the synthetic README states the vocabulary sizes the mini corpora really yield", async () => {
  // The README's teacher recipe asks for 4,000 tokens (bench/synthetic_teacher.ts --vocab 4000);
  // the corpora have fewer distinct words and pieces, and the README must say how many.
  const text = (await Deno.readTextFile(README)).replace(/\s+/g, " ");
  const stated =
    /the corpus yields ([\d,]+) tokens on generic mini, ([\d,]+) on nq, ([\d,]+) on msmarco/
      .exec(text);
  assert.ok(stated !== null, "README sentence with the vocabulary sizes not found");
  const claimed = { generic: stated[1], nq: stated[2], msmarco: stated[3] };
  for (const kind of SYNTHETIC_VARIANT_KINDS) {
    const dataset = synthesize({ variant: { kind }, seed: 42, sizes: SYNTHETIC_SIZES.mini });
    const vocab = buildWordPieceVocab(syntheticTrainingTexts(dataset), { size: 4000 });
    assert.equal(claimed[kind], vocab.tokens.length.toLocaleString("en-US"), kind);
  }
});
