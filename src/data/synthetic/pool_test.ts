/**
 * Tests that the unlabeled pool is drawn like the corpus: each pool document is about a concept
 * pair of one topic (in `nq`, states a fact about it), written like the relevant documents, about
 * a pair no query asks and mentioning no two concepts that a query asks together; and a
 * salient-term query generator run on the pool names the documents' concepts, not only filler.
 *
 * @module
 */

import assert from "node:assert/strict";
import { SalientTermGenerator } from "../../querygen/mod.ts";
import { SYNTHETIC_SIZES, SYNTHETIC_VARIANT_KINDS, type SyntheticVariant } from "./params.ts";
import { pairKey } from "./plan.ts";
import { unstable_synthesizeWithWorld } from "./unstable_world.ts";

const generate = (kind: SyntheticVariant["kind"]) =>
  unstable_synthesizeWithWorld({ variant: { kind }, seed: 42, sizes: SYNTHETIC_SIZES.tiny });

for (const kind of SYNTHETIC_VARIANT_KINDS) {
  Deno.test(`synthetic pool (${kind}): documents about unasked concept pairs of one topic`, () => {
    const { dataset, world, plan, docIds } = generate(kind);
    const planOf = new Map(docIds.map((id, i) => [id, plan.docs[i]!]));
    const text = new Map(dataset.documents.map((d) => [d.id, d]));
    const asked = new Set(plan.queries.map((q) => pairKey(q.a, q.b)));
    assert.equal(dataset.pool.length, SYNTHETIC_SIZES.tiny.pool);
    for (const id of dataset.pool) {
      const d = planOf.get(id);
      assert.ok(d !== undefined, `pool document "${id}" is not in the plan`);
      assert.equal(d.origin, "pool", `pool document "${id}"`);
      assert.notEqual(d.a, d.b, `pool document "${id}" is about one concept twice`);
      assert.equal(world.concepts[d.a]!.topic, d.topic, `pool document "${id}": concept a`);
      assert.equal(world.concepts[d.b]!.topic, d.topic, `pool document "${id}": concept b`);
      const mentioned = [d.a, d.b, ...d.sides];
      for (let i = 0; i < mentioned.length; i++) {
        for (let j = i + 1; j < mentioned.length; j++) {
          assert.ok(
            !asked.has(pairKey(mentioned[i]!, mentioned[j]!)),
            `pool document "${id}" mentions concepts ${mentioned[i]} and ${
              mentioned[j]
            }, which a query asks together`,
          );
        }
      }
      // Written like a relevant document: it names both main concepts by one of their forms.
      const doc = text.get(id)!;
      const words = ` ${doc.title} ${doc.text.replaceAll(".", "")} `;
      for (const c of [d.a, d.b]) {
        assert.ok(
          world.concepts[c]!.forms.some((f) => words.includes(` ${f} `)),
          `pool document "${id}" names no form of concept ${c}: ${doc.text}`,
        );
      }
      if (kind === "nq") {
        assert.ok(d.relation >= 0 && d.answer !== "", `pool document "${id}" states no fact`);
        assert.ok(doc.text.includes(d.answer), `pool document "${id}" lacks its answer`);
        assert.ok(world.concepts[d.b]!.forms.includes(doc.title), `pool document "${id}" title`);
      }
    }
  });
}

Deno.test("synthetic pool (msmarco): salient-term queries name the documents' concepts", async () => {
  const { dataset, world, plan, docIds } = generate("msmarco");
  const planOf = new Map(docIds.map((id, i) => [id, plan.docs[i]!]));
  const byId = new Map(dataset.documents.map((d) => [d.id, d]));
  const pool = dataset.pool.map((id) => byId.get(id)!);
  const queries = await new SalientTermGenerator({ seed: 1 }).generate(pool);
  assert.ok(queries.length >= pool.length, `only ${queries.length} queries`);
  const conceptWords = (c: number) =>
    new Set(world.concepts[c]!.forms.flatMap((f) => f.split(" ")));
  let namesMain = 0;
  for (const q of queries) {
    const d = planOf.get(q.docId)!;
    const main = new Set([...conceptWords(d.a), ...conceptWords(d.b)]);
    if (q.text.split(" ").some((w) => main.has(w))) namesMain++;
  }
  const rate = namesMain / queries.length;
  // Measured 0.54 at seed 42 (queries have 2-5 terms out of 5-8 sentences, most are side and filler).
  assert.ok(rate > 0.4, `only ${(rate * 100).toFixed(1)} % of pool queries name a main concept`);
});
