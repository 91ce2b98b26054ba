import assert from "node:assert/strict";
import { join } from "node:path";
import { readAnswers } from "./answers.ts";

Deno.test("readAnswers: the answers of the queries that have them; none without queries.jsonl", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal((await readAnswers(dir)).size, 0);
    await Deno.writeTextFile(
      join(dir, "queries.jsonl"),
      [
        { _id: "q1", text: "who", metadata: { answers: ["Ada Lovelace", "Ada"] } },
        { _id: "q2", text: "what" },
        { _id: "q3", text: "when", metadata: { answers: [] } },
      ].map((q) => JSON.stringify(q)).join("\n") + "\n",
    );
    assert.deepEqual([...await readAnswers(dir)], [["q1", ["Ada Lovelace", "Ada"]]]);
    await Deno.writeTextFile(
      join(dir, "queries.jsonl"),
      JSON.stringify({ _id: "q1", metadata: { answers: [1] } }),
    );
    await assert.rejects(() => readAnswers(dir), /line 1: expected/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
