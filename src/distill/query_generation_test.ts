import assert from "node:assert/strict";
import type { Document, Query } from "../data/mod.ts";
import { SalientTermGenerator } from "../querygen/mod.ts";
import { capPerDocument, generateForDistill, queryGenerationSettings } from "./query_generation.ts";

const DOCS: Document[] = [
  { id: "d1", title: "", text: "Salmon migrate upstream to spawn in cold rivers every autumn." },
  { id: "d2", title: "", text: "Volcanic eruptions release ash and sulfur dioxide into the air." },
  { id: "d3", title: "", text: "Honey bees communicate the location of flowers by dancing." },
];

Deno.test("capPerDocument keeps each document's first queries in order", () => {
  const q = (docId: string, i: number) => ({
    id: `${docId}#q${i}`,
    docId,
    text: "t",
    generator: "g",
  });
  const kept = capPerDocument([q("a", 0), q("a", 1), q("b", 0), q("a", 2), q("b", 1)], 1);
  assert.deepEqual(kept.map((x) => x.id), ["a#q0", "b#q0"]);
});

Deno.test("queryGenerationSettings labels the generator and validates perDocument and weight", () => {
  const generator = new SalientTermGenerator({ seed: 3 });
  const s = queryGenerationSettings({ generator, perDocument: 2, weight: 0.5 });
  assert.deepEqual(s, {
    generator: `salient-terms:${generator.configHash.slice(0, 16)}`,
    perDocument: 2,
    weight: 0.5,
  });
  assert.throws(
    () => queryGenerationSettings({ generator, perDocument: 0, weight: 1 }),
    /perDocument must be an integer >= 1, found 0/,
  );
  assert.throws(
    () => queryGenerationSettings({ generator, perDocument: 1, weight: 0 }),
    /weight must be a finite number > 0, found 0/,
  );
});

Deno.test("generateForDistill caches, caps per document and drops copies of known queries", async () => {
  const home = await Deno.makeTempDir({ prefix: "embeddistill-qg-test-" });
  try {
    const generator = new SalientTermGenerator({ seed: 1, queriesPerDocument: 3 });
    const config = { generator, perDocument: 2, weight: 1 };
    const first = await generateForDistill(config, DOCS, [], home);
    assert.equal(first.report.cached, false);
    assert.equal(first.report.documents, 3);
    assert.ok(first.report.made > first.report.generated);
    assert.ok(first.queries.length <= 6 && first.queries.length >= 3);
    assert.equal(first.report.leaksDropped, 0);
    // A dev query that copies a generated one (case and punctuation aside) is dropped from it.
    const copied = first.queries[0]!;
    const dev: Query[] = [{ id: "dev-1", text: `${copied.text.toUpperCase()}?` }];
    const second = await generateForDistill(config, DOCS, dev, home);
    assert.equal(second.report.cached, true);
    assert.equal(second.report.leaksDropped, 1);
    assert.deepEqual(second.queries, first.queries.filter((q) => q.id !== copied.id));
    // Held-out queries of the config count too.
    const third = await generateForDistill({ ...config, heldOut: dev }, DOCS, [], home);
    assert.equal(third.report.leaksDropped, 1);
    assert.ok(!(third.queries.some((q) => q.id === copied.id)));
    await assert.rejects(
      () => generateForDistill(config, [], [], home),
      /the unlabelled document pool is empty/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("generateForDistill fails when every generated query copies a known one", async () => {
  const home = await Deno.makeTempDir({ prefix: "embeddistill-qg-test-" });
  try {
    const generator = new SalientTermGenerator({ seed: 1, queriesPerDocument: 1 });
    const doc = [DOCS[0]!];
    const made = await generateForDistill({ generator, perDocument: 1, weight: 1 }, doc, [], home);
    const known = made.queries.map((q, i) => ({ id: `k${i}`, text: q.text }));
    await assert.rejects(
      () => generateForDistill({ generator, perDocument: 1, weight: 1 }, doc, known, home),
      /none is left after the per-document cap and the leak check/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
