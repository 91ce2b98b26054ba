/**
 * Tests of the synthetic dataset's properties: determinism, disjoint splits, relevance shape per
 * variant, a pool free of judgements, English words only, and the semantic difficulty (queries
 * name concepts differently from their relevant documents; distractors share words).
 *
 * @module
 */

import assert from "node:assert/strict";
import { SYNTHETIC_SIZES, SYNTHETIC_VARIANT_KINDS, type SyntheticParams } from "./params.ts";
import { synthesize, SYNTHETIC_SPLITS } from "./synthesize.ts";
import { unstable_synthesizeWithWorld } from "./unstable_world.ts";
import { NOUNS } from "./words_nouns.ts";
import { ADJECTIVES, FIRST_NAMES, SURNAMES, VERBS } from "./words_other.ts";

const params = (kind: "generic" | "msmarco" | "nq", seed = 1): SyntheticParams => ({
  variant: { kind },
  seed,
  sizes: SYNTHETIC_SIZES.tiny,
});

for (const kind of SYNTHETIC_VARIANT_KINDS) {
  Deno.test(`synthesize(${kind}): splits are disjoint by id and by text and cover all queries`, () => {
    const ds = synthesize(params(kind));
    const { train, dev, test } = ds.splits;
    assert.equal(train.length, SYNTHETIC_SIZES.tiny.train);
    assert.equal(dev.length, SYNTHETIC_SIZES.tiny.dev);
    assert.equal(test.length, SYNTHETIC_SIZES.tiny.test);
    const all = [...train, ...dev, ...test];
    assert.equal(new Set(all).size, all.length, "a query id is in two splits");
    assert.deepEqual([...all].sort(), ds.queries.map((q) => q.id).sort());
    const text = new Map(ds.queries.map((q) => [q.id, q.text]));
    const texts = all.map((id) => text.get(id));
    assert.equal(new Set(texts).size, texts.length, "a query text is repeated");
    for (const split of SYNTHETIC_SPLITS) {
      const members = new Set(ds.splits[split]);
      const judged = new Set(ds.qrels[split].map((j) => j.queryId));
      assert.deepEqual([...judged].sort(), [...members].sort(), `${split}: judged = members`);
    }
  });

  Deno.test(`synthesize(${kind}): pool documents are in the corpus and judged for no query`, () => {
    const ds = synthesize(params(kind));
    const docs = new Set(ds.documents.map((d) => d.id));
    assert.equal(docs.size, SYNTHETIC_SIZES.tiny.documents);
    assert.equal(ds.pool.length, SYNTHETIC_SIZES.tiny.pool);
    const judged = new Set(SYNTHETIC_SPLITS.flatMap((s) => ds.qrels[s].map((j) => j.docId)));
    for (const id of ds.pool) {
      assert.ok(docs.has(id));
      assert.ok(!judged.has(id), `pool document "${id}" is judged`);
    }
    for (const id of judged) assert.ok(docs.has(id), `judged document "${id}" is missing`);
  });

  Deno.test(`synthesize(${kind}): same seed gives the same dataset, another seed another`, () => {
    const a = JSON.stringify(synthesize(params(kind, 7)));
    const b = JSON.stringify(synthesize(params(kind, 7)));
    const c = JSON.stringify(synthesize(params(kind, 8)));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });
}

Deno.test("synthesize(generic): graded, often multiple relevant documents per query", () => {
  const ds = synthesize(params("generic"));
  const perQuery = new Map<string, number[]>();
  for (const j of ds.qrels.train) {
    perQuery.set(j.queryId, [...(perQuery.get(j.queryId) ?? []), j.label]);
  }
  const grades = new Set([...perQuery.values()].flat());
  assert.deepEqual([...grades].sort(), [1, 2]);
  for (const g of perQuery.values()) assert.ok(g.includes(2), "every query has a grade-2 document");
  const multiple = [...perQuery.values()].filter((g) => g.length > 1).length;
  assert.ok(multiple > perQuery.size / 2, `only ${multiple} queries have several relevant docs`);
});

Deno.test("synthesize(msmarco): exactly one relevant passage per query, binary", () => {
  const ds = synthesize(params("msmarco"));
  for (const split of SYNTHETIC_SPLITS) {
    assert.equal(ds.qrels[split].length, ds.splits[split].length);
    for (const j of ds.qrels[split]) assert.equal(j.label, 1);
  }
  for (const q of ds.queries) assert.ok(q.text.split(" ").length <= 6, q.text);
});

Deno.test("synthesize(nq): questions with answers that every relevant passage contains", () => {
  const ds = synthesize(params("nq"));
  const text = new Map(ds.documents.map((d) => [d.id, d.text]));
  const answers = new Map(ds.queries.map((q) => [q.id, q.answers]));
  for (const q of ds.queries) {
    assert.match(q.text, /^(who|which|when|what|how) /);
    assert.equal(q.answers.length, 1);
  }
  for (const split of SYNTHETIC_SPLITS) {
    for (const j of ds.qrels[split]) {
      assert.equal(j.label, 1);
      const a = answers.get(j.queryId)![0]!;
      assert.ok(text.get(j.docId)!.includes(a), `"${j.docId}" lacks answer "${a}"`);
    }
  }
});

Deno.test("synthesize: text uses only the built-in English words and template words", () => {
  const known = new Set([...NOUNS, ...ADJECTIVES, ...VERBS, ...FIRST_NAMES, ...SURNAMES]);
  const template = "the a of and in on with for near from across under around each this every one" +
    " was by were total who which person when what year how many";
  for (const w of template.split(" ")) known.add(w);
  for (const kind of SYNTHETIC_VARIANT_KINDS) {
    const ds = synthesize(params(kind));
    const vocab = new Set<string>();
    const texts = [
      ...ds.documents.flatMap((d) => [d.title, d.text]),
      ...ds.queries.map((q) => q.text),
    ];
    for (const t of texts) for (const w of t.match(/[a-z]+/g) ?? []) vocab.add(w);
    const unknown = [...vocab].filter((w) => !known.has(w));
    assert.deepEqual(unknown, [], `${kind}: unknown words`);
    assert.ok(vocab.size < 3000, `${kind}: vocabulary of ${vocab.size} words`);
  }
});

Deno.test("synthesize: queries often name a concept differently from the relevant document", () => {
  const { dataset, world, plan } = unstable_synthesizeWithWorld(params("msmarco"));
  // Plan order is not id order; recover each query's concepts through its text's forms.
  let mismatched = 0;
  let total = 0;
  const docText = new Map(dataset.documents.map((d) => [d.id, d.text]));
  const queryText = new Map(dataset.queries.map((q) => [q.id, q.text]));
  const byText = new Map(plan.queries.map((q, i) => [i, q]));
  for (const j of dataset.qrels.test) {
    const qt = queryText.get(j.queryId)!;
    const dt = ` ${docText.get(j.docId)!.replaceAll(".", "")} `;
    const concept = [...byText.values()].find((q) =>
      world.concepts[q.a]!.forms.some((f) => ` ${qt} `.includes(` ${f} `)) &&
      world.concepts[q.b]!.forms.some((f) => ` ${qt} `.includes(` ${f} `))
    );
    if (concept === undefined) continue;
    for (const c of [concept.a, concept.b]) {
      const form = world.concepts[c]!.forms.find((f) => ` ${qt} `.includes(` ${f} `))!;
      total += 1;
      if (!dt.includes(` ${form} `)) mismatched += 1;
    }
  }
  assert.ok(total > 100, `only ${total} concept mentions checked`);
  const rate = mismatched / total;
  assert.ok(rate > 0.3 && rate < 0.9, `mismatch rate ${rate}`);
});

Deno.test("synthesize: lookalike concepts share words, and hidden tables stay out of mod.ts", async () => {
  const { world } = unstable_synthesizeWithWorld(params("generic"));
  const withLookalikes = world.lookalikes.filter((l) => l.length > 0).length;
  assert.ok(withLookalikes > world.concepts.length / 3, `${withLookalikes} concepts`);
  const forms = world.concepts.flatMap((c) => c.forms);
  assert.equal(new Set(forms).size, forms.length, "a surface form names two concepts");
  const api = Object.keys(await import("./mod.ts"));
  for (const hidden of ["buildWorld", "planCorpus", "judge", "synthesizeWithWorld"]) {
    assert.ok(!api.includes(hidden), `mod.ts exports "${hidden}"`);
  }
});

Deno.test("synthesize: rejects impossible sizes with RangeError", () => {
  const base = SYNTHETIC_SIZES.tiny;
  const bad = [
    { ...base, documents: 100 },
    { ...base, pool: base.documents + 1 },
    { ...base, train: -1 },
    { ...base, train: 0, dev: 0, test: 0 },
  ];
  for (const sizes of bad) {
    assert.throws(() => synthesize({ variant: { kind: "generic" }, seed: 1, sizes }), RangeError);
  }
  assert.throws(() => synthesize({ ...params("generic"), seed: -3 }), RangeError);
});
