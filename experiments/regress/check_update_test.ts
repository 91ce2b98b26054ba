import assert from "node:assert/strict";
import { checkLine, checkValues, summaryLine } from "./check.ts";
import { type ExpectedFile, TOLERANCE_RULE } from "./expected_file.ts";
import { changelogEntry, updatedFile } from "./update.ts";

const FILE: ExpectedFile = {
  kind: "regress-expected",
  version: 1,
  experiment: "table2",
  preset: "tiny",
  toleranceRule: TOLERANCE_RULE,
  measurement: null,
  values: [
    { cell: "teacher/full/-", measure: "RR@10", expected: 0.3, tolerance: 0.01, spread: 0.005 },
    { cell: "teacher/full/-", measure: "nDCG@10", expected: 0.4, tolerance: 0.01, spread: 0.005 },
    {
      cell: "labels/1-10/asymmetric",
      measure: "RR@10",
      expected: 0.2,
      tolerance: 0.005,
      spread: 0,
      paper: { kind: "transcribed", value: 0.186, source: "Table 2" },
    },
    { cell: "bm25/full/-", measure: "RR@10", expected: 0.1734, tolerance: 0, spread: 0 },
  ],
};

const ACTUAL = new Map([
  ["teacher/full/-", { "RR@10": 0.3123, "nDCG@10": 0.38 }],
  ["labels/1-10/asymmetric", { "RR@10": 0.19501 }],
]);

Deno.test("checkValues: one verdict per expected value; a value the run lacks is a FAIL", () => {
  const checks = checkValues(FILE, ACTUAL);
  assert.deepEqual(checks.map((c) => [c.cell, c.measure, c.verdict, c.delta]), [
    ["teacher/full/-", "RR@10", "BETTER", 0.0123],
    ["teacher/full/-", "nDCG@10", "FAIL", -0.02],
    ["labels/1-10/asymmetric", "RR@10", "OK", -0.005],
    ["bm25/full/-", "RR@10", "FAIL", null],
  ]);
  assert.match(
    checkLine(checks[1]!),
    /^FAIL {3}table2 teacher\/full\/- nDCG@10 +expected 0\.4000 actual {2}0\.3800 delta -0\.0200 tol 0\.0100$/,
  );
  assert.match(checkLine(checks[3]!), /actual missing delta {7}- tol 0\.0000$/);
  assert.equal(summaryLine(checks), "regress: 4 values: 1 OK, 1 BETTER, 0 OK*, 2 FAIL");
});

Deno.test("updatedFile: expected values take the actual ones; tolerance, spread, paper and missing values kept", () => {
  const { file, moves } = updatedFile(FILE, checkValues(FILE, ACTUAL));
  assert.deepEqual(file.values.map((v) => v.expected), [0.3123, 0.38, 0.195, 0.1734]);
  assert.deepEqual(file.values.map((v) => v.tolerance), [0.01, 0.01, 0.005, 0]);
  assert.deepEqual(file.values[2]!.paper, FILE.values[2]!.paper);
  assert.deepEqual(moves.map((m) => [m.cell, m.measure, m.from, m.to]), [
    ["teacher/full/-", "RR@10", 0.3, 0.3123],
    ["teacher/full/-", "nDCG@10", 0.4, 0.38],
    ["labels/1-10/asymmetric", "RR@10", 0.2, 0.195],
  ]);
  const entry = changelogEntry({
    date: "2026-12-03T10:00:00.000Z",
    commit: "0123456789abcdef0123",
    dirty: true,
    why: "a better teacher recipe",
    files: ["table2.tiny.json"],
    moves,
  });
  assert.match(entry, /^## 2026-12-03T10:00:00\.000Z · 0123456789ab \(uncommitted changes\)\n/);
  assert.match(entry, /Why: a better teacher recipe/);
  assert.match(
    entry,
    /^- `table2 teacher\/full\/- nDCG@10`: 0\.4000 -> 0\.3800 \(-0\.0200\)$/m,
  );
  assert.match(
    entry,
    /^- `table2 teacher\/full\/- RR@10`: 0\.3000 -> 0\.3123 \(\+0\.0123\)$/m,
  );
});
