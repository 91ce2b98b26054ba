/**
 * Tests of the salient-term query generator: determinism, lengths, tf-idf sampling frequencies
 * against hand-computed probabilities, spans, validation.
 *
 * @module
 */

import assert from "node:assert/strict";
import { SalientTermGenerator } from "./salient.ts";
import { canonicalJson } from "../io/mod.ts";
import { configHash } from "./hash.ts";
import { ENGLISH_STOP_WORDS, wordTokens } from "./terms.ts";
import type { Document } from "../data/mod.ts";

const DOCS: Document[] = [
  {
    id: "d1",
    title: "Kinase inhibitors",
    text: "Tyrosine kinase inhibitors block signalling in tumour cells. The inhibitors reduce " +
      "proliferation of cancer cells in mice. Resistance emerges after prolonged treatment.",
  },
  {
    id: "d2",
    title: "",
    text: "Vitamin D supplementation did not reduce fracture risk in elderly women. Bone density " +
      "was measured yearly across the cohort.",
  },
  {
    id: "d3",
    title: "Sleep",
    text: "Short sleep duration is associated with obesity in children.",
  },
  { id: "empty", title: "", text: "" },
  { id: "stop", title: "", text: "the and of it is" },
];

Deno.test("salient-term generation is seeded, deterministic and independent of batching", async () => {
  const a = await new SalientTermGenerator({ seed: 5 }).generate(DOCS);
  const b = await new SalientTermGenerator({ seed: 5 }).generate(DOCS, { batchSize: 1 });
  const c = await new SalientTermGenerator({ seed: 6 }).generate(DOCS);
  assert.deepStrictEqual(a, b);
  assert.notDeepStrictEqual(a.map((q) => q.text), c.map((q) => q.text));
  // A document's queries come from its own stream: reordering the corpus changes nothing.
  const reversed = await new SalientTermGenerator({ seed: 5 }).generate([...DOCS].reverse());
  const byId = (qs: readonly { id: string }[]) => [...qs].sort((x, y) => x.id < y.id ? -1 : 1);
  assert.deepStrictEqual(byId(reversed), byId(a));
});

Deno.test("salient-term queries use the document's own content words within the length bounds", async () => {
  const generator = new SalientTermGenerator({
    seed: 1,
    minTerms: 2,
    maxTerms: 4,
    spanProbability: 0,
    queriesPerDocument: 5,
  });
  const queries = await generator.generate(DOCS);
  assert.ok(queries.length > 0);
  assert.deepStrictEqual(queries.filter((q) => q.docId === "empty" || q.docId === "stop"), []);
  for (const doc of DOCS.slice(0, 3)) {
    const own = queries.filter((q) => q.docId === doc.id);
    assert.equal(own.length, 5, doc.id);
    assert.equal(new Set(own.map((q) => q.text)).size, own.length, "distinct per document");
    own.forEach((q, i) => assert.equal(q.id, `${doc.id}#q${i}`));
    const words = new Set(wordTokens(`${doc.title}. ${doc.text}`).map((t) => t.word));
    for (const q of own) {
      const terms = q.text.split(" ");
      assert.ok(terms.length >= 2 && terms.length <= 4, q.text);
      assert.equal(new Set(terms).size, terms.length, q.text);
      for (const t of terms) {
        assert.ok(words.has(t) && !ENGLISH_STOP_WORDS.has(t), `${t} in ${q.text}`);
      }
      assert.equal(q.generator, `salient-terms:${generator.configHash.slice(0, 16)}`);
    }
  }
});

Deno.test("kept spans count towards the term bounds", async () => {
  const generator = new SalientTermGenerator({
    seed: 2,
    minTerms: 2,
    maxTerms: 3,
    spanProbability: 1,
    maxSpanLength: 4,
    queriesPerDocument: 4,
  });
  const queries = await generator.generate(DOCS);
  assert.ok(queries.some((q) => q.text.split(" ").some((w) => ENGLISH_STOP_WORDS.has(w))));
  for (const q of queries) {
    const terms = q.text.split(" ").filter((w) => !ENGLISH_STOP_WORDS.has(w));
    assert.ok(terms.length >= 2 && terms.length <= 3, q.text);
  }
});

Deno.test("terms are drawn with probability proportional to (tf x idf)^(1/temperature)", async () => {
  // 50 documents all contain "common"; only d0 contains "rare". In d0, tf(common) = 2 and
  // idf(common) = ln(51/51) + 1 = 1; tf(rare) = 1 and idf(rare) = ln(51/2) + 1.
  const corpus: Document[] = [
    { id: "d0", title: "", text: "rare common common" },
    ...Array.from({ length: 49 }, (_, i) => ({ id: `f${i}`, title: "", text: "common" })),
  ];
  const rare = Math.log(51 / 2) + 1;
  for (const temperature of [1, 0.5]) {
    const wRare = Math.pow(rare, 1 / temperature);
    const wCommon = Math.pow(2, 1 / temperature);
    const expected = wRare / (wRare + wCommon); // 0.679 at T = 1, 0.818 at T = 0.5
    let hits = 0;
    const trials = 2000;
    for (let seed = 0; seed < trials; seed++) {
      const [q] = await new SalientTermGenerator({
        seed,
        temperature,
        minTerms: 1,
        maxTerms: 1,
        spanProbability: 0,
        queriesPerDocument: 1,
      }).generate(corpus, { batchSize: 64 });
      if (q!.text === "rare") hits++;
    }
    // 4.5 standard deviations of a binomial proportion at n = 2000.
    const sd = Math.sqrt(expected * (1 - expected) / trials);
    assert.ok(Math.abs(hits / trials - expected) < 4.5 * sd, `T=${temperature}: ${hits / trials}`);
  }
});

Deno.test("kept spans are contiguous, stay in their sentence and within the term budget", async () => {
  // Two terms per query, always widened: a span from "alpha", "beta" or "delta" takes the next
  // word and fills the budget; "gamma" and "epsilon" end their sentence, so a second term (its
  // span cut to one word by the budget) is drawn.
  const doc = { id: "s", title: "", text: "alpha beta gamma. delta epsilon" };
  const allowed = new Set([
    "alpha beta",
    "beta gamma",
    "delta epsilon",
    "alpha gamma",
    "gamma delta",
    "gamma epsilon",
    "alpha epsilon",
    "beta epsilon",
  ]);
  const seen = new Set<string>();
  for (let seed = 0; seed < 300; seed++) {
    const [q] = await new SalientTermGenerator({
      seed,
      minTerms: 2,
      maxTerms: 2,
      spanProbability: 1,
      maxSpanLength: 3,
      queriesPerDocument: 1,
    }).generate([doc]);
    assert.ok(allowed.has(q!.text), q!.text);
    seen.add(q!.text);
  }
  assert.deepStrictEqual(seen, allowed);
});

Deno.test("salient-term config: defaults are hashed stably and bad values are RangeErrors", () => {
  const generator = new SalientTermGenerator();
  assert.equal(generator.config.kind, "salient-terms");
  assert.equal(generator.configHash, configHash(generator.config));
  // Pinned: a change here silently invalidates every cached set of generated queries.
  assert.equal(
    canonicalJson(generator.config),
    '{"includeTitle":true,"kind":"salient-terms","maxSpanLength":3,"maxTerms":5,"minTerms":2,' +
      '"minWordLength":2,"queriesPerDocument":3,"seed":0,"spanProbability":0.3,' +
      '"stopWords":"english","temperature":1,"version":1}',
  );
  assert.equal(new SalientTermGenerator({ seed: 0 }).configHash, generator.configHash);
  assert.notEqual(new SalientTermGenerator({ seed: 1 }).configHash, generator.configHash);
  assert.throws(() => new SalientTermGenerator({ minTerms: 3, maxTerms: 2 }), RangeError);
  assert.throws(() => new SalientTermGenerator({ spanProbability: 1.5 }), RangeError);
  assert.throws(() => new SalientTermGenerator({ temperature: 0 }), RangeError);
  assert.throws(() => new SalientTermGenerator({ seed: -1 }), RangeError);
  assert.throws(() => new SalientTermGenerator({ maxSpanLength: 1 }), RangeError);
});
