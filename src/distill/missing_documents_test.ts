import assert from "node:assert/strict";
import { qrelsFromJudgments } from "../eval/mod.ts";
import { describeMissingDocuments, missingDocuments } from "./missing_documents.ts";

Deno.test("missingDocuments counts judgments and distinct documents absent from the corpus", () => {
  const qrels = qrelsFromJudgments([
    { queryId: "q1", docId: "d1", label: 1 },
    { queryId: "q1", docId: "x1", label: 1 },
    { queryId: "q2", docId: "x2", label: 0 },
    { queryId: "q2", docId: "x1", label: 2 },
    { queryId: "q3", docId: "x3", label: 1 },
  ]);
  const corpus = new Set(["d1", "d2"]);
  const missing = missingDocuments(qrels, corpus, 2);
  assert.deepEqual(missing, { judgments: 4, documents: 3, firstIds: ["x1", "x2"] });
  assert.equal(
    describeMissingDocuments(missing, '"qrels/train.tsv"'),
    '4 judgments of "qrels/train.tsv" name 3 documents that are not in the corpus (first: "x1", "x2", ...)',
  );
  assert.deepEqual(missingDocuments(qrels, new Set(["d1", "x1", "x2", "x3"])), {
    judgments: 0,
    documents: 0,
    firstIds: [],
  });
});
