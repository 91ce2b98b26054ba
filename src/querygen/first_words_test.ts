/**
 * Tests of the first-words baseline generator.
 *
 * @module
 */

import assert from "node:assert/strict";
import { FirstWordsGenerator } from "./first_words.ts";

Deno.test("FirstWordsGenerator emits the first k lowercased words of each non-empty document", async () => {
  const docs = [
    { id: "a", title: "The Title", text: "One two, three four five." },
    { id: "b", title: "", text: "Short." },
    { id: "c", title: "", text: " " },
  ];
  const g = new FirstWordsGenerator({ words: 4 });
  assert.deepStrictEqual((await g.generate(docs)).map((q) => [q.id, q.docId, q.text]), [
    ["a#q0", "a", "the title one two"],
    ["b#q0", "b", "short"],
  ]);
  const untitled = new FirstWordsGenerator({ words: 4, includeTitle: false });
  assert.equal((await untitled.generate(docs))[0]!.text, "one two three four");
  assert.notEqual(untitled.configHash, g.configHash);
  assert.throws(() => new FirstWordsGenerator({ words: 0 }), RangeError);
});
