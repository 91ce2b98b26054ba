/**
 * Tests of the shared record helpers: duplicate tracking and error messages.
 *
 * @module
 */

import assert from "node:assert/strict";
import { duplicateIdError, IdTracker, lineError } from "./records.ts";

Deno.test("IdTracker refuses a repeated id naming both lines", () => {
  const ids = new IdTracker("corpus", "c.jsonl");
  ids.add("a", 1);
  ids.add("b", 2);
  assert.equal(ids.size, 2);
  assert.throws(() => ids.add("a", 7), (e: unknown) => {
    assert.ok(e instanceof SyntaxError);
    assert.equal(
      e.message,
      'Cannot load corpus line 7 of "c.jsonl": duplicate id "a" (first at line 1)',
    );
    return true;
  });
});

Deno.test("lineError and duplicateIdError follow the suite's message style", () => {
  assert.equal(
    lineError("qrels", "qrels/test.tsv", 17, "expected 3 fields, found 2").message,
    'Cannot parse qrels line 17 of "qrels/test.tsv": expected 3 fields, found 2',
  );
  assert.ok(duplicateIdError("queries", "q", "f", 3, 2) instanceof SyntaxError);
});
