import assert from "node:assert/strict";
import {
  DeriveError,
  deriveValues,
  isDeterministicCell,
  type Observation,
  trainedTolerance,
} from "./derive.ts";

const obs = (threads: number, source: string, values: Record<string, Record<string, number>>) =>
  ({
    threads,
    commit: null,
    source,
    values: new Map(Object.entries(values)),
  }) satisfies Observation;

const RULES = {
  experiment: "table2",
  deterministic: isDeterministicCell,
  paper: (cell: string) =>
    cell === "teacher/full/-"
      ? { kind: "transcribed" as const, value: 0.372, source: "Table 2" }
      : cell === "labels/1-10/asymmetric"
      ? { kind: "secondary" as const, value: 0.2, source: "notes" }
      : { kind: "not-transcribed" as const },
};

Deno.test("trainedTolerance: 2 x spread rounded up to 4 decimals, at least 0.005", () => {
  assert.equal(trainedTolerance(0), 0.005);
  assert.equal(trainedTolerance(0.0025), 0.005);
  assert.equal(trainedTolerance(0.0031), 0.0062);
  assert.equal(trainedTolerance(0.00312), 0.0063);
  assert.equal(trainedTolerance(0.03 - 0.02), 0.02); // float noise does not round up
});

Deno.test("deriveValues: midpoint, spread and tolerance per value; paper only where transcribed", () => {
  const values = deriveValues([
    obs(1, "a", {
      "teacher/full/-": { "RR@10": 0.3 },
      "labels/1-10/asymmetric": { "RR@10": 0.1 },
      "bm25/full/-": { "RR@10": 0.17341 },
    }),
    obs(2, "b", {
      "teacher/full/-": { "RR@10": 0.31 },
      "labels/1-10/asymmetric": { "RR@10": 0.1 },
      "bm25/full/-": { "RR@10": 0.17339 },
    }),
    obs(2, "c", {
      "teacher/full/-": { "RR@10": 0.304 },
      "labels/1-10/asymmetric": { "RR@10": 0.1 },
      "bm25/full/-": { "RR@10": 0.1734 },
    }),
  ], RULES);
  assert.deepEqual(values, [
    {
      cell: "teacher/full/-",
      measure: "RR@10",
      expected: 0.305,
      tolerance: 0.02,
      spread: 0.01,
      paper: { kind: "transcribed", value: 0.372, source: "Table 2" },
    },
    {
      cell: "labels/1-10/asymmetric",
      measure: "RR@10",
      expected: 0.1,
      tolerance: 0.005,
      spread: 0,
    },
    { cell: "bm25/full/-", measure: "RR@10", expected: 0.1734, tolerance: 0, spread: 0 },
  ]);
});

Deno.test("deriveValues: a deterministic value that varies, or a run without a value, is an error", () => {
  assert.throws(
    () =>
      deriveValues([
        obs(1, "a", { "bm25/full/-": { "RR@10": 0.17 } }),
        obs(2, "b", { "bm25/full/-": { "RR@10": 0.18 } }),
      ], RULES),
    new DeriveError(
      "Cannot derive table2 bm25/full/- RR@10: a deterministic value varied from 0.1700 to " +
        "0.1800 over the runs (a, b)",
    ),
  );
  assert.throws(
    () =>
      deriveValues([
        obs(1, "a", { "teacher/full/-": { "RR@10": 0.17 } }),
        obs(2, "b", { "teacher/full/-": {} }),
      ], RULES),
    /teacher\/full\/- RR@10: the run in b \(threads 2\) has no value/,
  );
  assert.throws(() => deriveValues([], RULES), /no measured run/);
});
