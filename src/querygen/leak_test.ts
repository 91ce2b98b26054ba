/**
 * Tests of the leak audit, and the audit itself on real corpora: queries generated from the
 * synthetic tiny corpus (every variant) and from SciFact do not copy their dev/test queries.
 *
 * @module
 */

import type { Document } from "../data/mod.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readBeirCorpus, readBeirQrels, readBeirQueries } from "../data/mod.ts";
import { synthesize, SYNTHETIC_SIZES, SYNTHETIC_VARIANT_KINDS } from "../data/synthetic/mod.ts";
import { sharedPath } from "../testing/mod.ts";
import type { GeneratedQuery } from "./generator.ts";
import { assertNoLeak, findQueryLeaks, normalizeQueryText, QueryLeakError } from "./leak.ts";
import { SalientTermGenerator } from "./salient.ts";

const generated = (id: string, text: string): GeneratedQuery => ({
  id,
  docId: id.split("#")[0]!,
  text,
  generator: "test:0",
});

Deno.test("normalizeQueryText folds case, width, punctuation and spacing", () => {
  assert.equal(normalizeQueryText("  What is BRCA1?  "), "what is brca1");
  assert.equal(normalizeQueryText("Ｔａｕ—protein,  aggregates"), "tau protein aggregates");
  assert.equal(normalizeQueryText("?!"), "");
});

Deno.test("findQueryLeaks reports every overlap and assertNoLeak throws with them", () => {
  const gen = [generated("a#q0", "Vitamin D, fracture"), generated("b#q0", "sleep obesity")];
  const heldOut = [
    { id: "t1", text: "vitamin d fracture" },
    { id: "t2", text: "VITAMIN-D fracture!" },
    { id: "t3", text: "sleep and obesity" },
    { id: "t4", text: "..." },
  ];
  const leaks = findQueryLeaks(gen, heldOut);
  assert.deepStrictEqual(leaks, [
    { generatedId: "a#q0", heldOutId: "t1", normalized: "vitamin d fracture" },
    { generatedId: "a#q0", heldOutId: "t2", normalized: "vitamin d fracture" },
  ]);
  assert.throws(
    () => assertNoLeak(gen, heldOut),
    (e: unknown) =>
      e instanceof QueryLeakError && e.leaks.length === 2 && e.message.includes('"t1"'),
  );
  assert.deepStrictEqual(assertNoLeak(gen.slice(1), heldOut), []);
});

for (const kind of SYNTHETIC_VARIANT_KINDS) {
  Deno.test(`salient-term queries from the synthetic tiny "${kind}" corpus copy no dev/test query`, async () => {
    const dataset = synthesize({ variant: { kind }, seed: 1, sizes: SYNTHETIC_SIZES.tiny });
    const heldOutIds = new Set([...dataset.splits.dev, ...dataset.splits.test]);
    const heldOut = dataset.queries.filter((q) => heldOutIds.has(q.id));
    assert.ok(heldOut.length > 0);
    // The generator receives only {id, title, text}: nothing of the hidden concept tables.
    const documents: Document[] = dataset.documents.map((d) => ({
      id: d.id,
      title: d.title,
      text: d.text,
    }));
    const queries = await new SalientTermGenerator({ seed: 1 }).generate(documents);
    assert.ok(queries.length >= documents.length);
    assert.deepStrictEqual(assertNoLeak(queries, heldOut), []);
  });
}

const scifact = sharedPath("scifact/beir");

Deno.test({
  name: "salient-term queries from the SciFact corpus copy no SciFact test query",
  ignore: scifact === undefined,
  fn: async () => {
    const dir = scifact!;
    const testIds = new Set<string>();
    for await (const j of readBeirQrels(join(dir, "qrels", "test.tsv"))) testIds.add(j.queryId);
    const heldOut = [];
    for await (const q of readBeirQueries(join(dir, "queries.jsonl"))) {
      if (testIds.has(q.id)) heldOut.push(q);
    }
    assert.equal(heldOut.length, 300);
    const documents = [];
    for await (const d of readBeirCorpus(join(dir, "corpus.jsonl"))) documents.push(d);
    const queries = await new SalientTermGenerator({ seed: 1 }).generate(documents);
    assert.ok(queries.length >= documents.length);
    assert.deepStrictEqual(findQueryLeaks(queries, heldOut), []);
  },
});
