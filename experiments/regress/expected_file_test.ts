import assert from "node:assert/strict";
import {
  type ExpectedFile,
  ExpectedFileError,
  expectedFileName,
  type ExpectedScope,
  parseExpectedFile,
  renderExpectedFile,
  TOLERANCE_RULE,
} from "./expected_file.ts";

const SCOPE: ExpectedScope = {
  experiment: "table2",
  preset: "tiny",
  cells: ["teacher/full/-", "labels/1-10/asymmetric"],
  measures: ["RR@10", "nDCG@10"],
};

const FILE: ExpectedFile = {
  kind: "regress-expected",
  version: 1,
  experiment: "table2",
  preset: "tiny",
  toleranceRule: TOLERANCE_RULE,
  measurement: null,
  values: [
    { cell: "teacher/full/-", measure: "RR@10", expected: 0.0166, tolerance: 0.005, spread: 0.001 },
    {
      cell: "labels/1-10/asymmetric",
      measure: "nDCG@10",
      expected: 0.69,
      tolerance: 0.0062,
      spread: 0.0031,
      paper: { kind: "transcribed", value: 0.3, source: "Table 2" },
    },
  ],
};

function withValue(patch: Record<string, unknown>, drop?: string): string {
  const raw = JSON.parse(renderExpectedFile(FILE));
  raw.values[1] = { ...raw.values[1], ...patch };
  if (drop !== undefined) delete raw.values[1][drop];
  return JSON.stringify(raw);
}

const PATH = "results/expected/table2.tiny.json";

Deno.test("parseExpectedFile: a rendered file parses back to itself", () => {
  assert.deepEqual(parseExpectedFile(renderExpectedFile(FILE), PATH, SCOPE), FILE);
  assert.equal(expectedFileName("table2", "tiny"), "table2.tiny.json");
  assert.equal(expectedFileName("bm25-scifact", null), "bm25-scifact.json");
});

Deno.test("parseExpectedFile: text that is not JSON names the file", () => {
  assert.throws(
    () => parseExpectedFile("{ values: [", PATH, SCOPE),
    (e: unknown) =>
      e instanceof ExpectedFileError &&
      /^results\/expected\/table2\.tiny\.json: not JSON/.test(e.message),
  );
});

Deno.test("parseExpectedFile: a missing field is named with its place", () => {
  assert.throws(
    () => parseExpectedFile(withValue({}, "tolerance"), PATH, SCOPE),
    new ExpectedFileError(
      `${PATH}: values[1].tolerance: missing, expected a number >= 0 with 4 decimals`,
    ),
  );
  const raw = JSON.parse(renderExpectedFile(FILE));
  delete raw.toleranceRule;
  assert.throws(
    () => parseExpectedFile(JSON.stringify(raw), PATH, SCOPE),
    /table2\.tiny\.json: toleranceRule: missing, expected the rule in words/,
  );
});

Deno.test("parseExpectedFile: an unknown cell or measure lists what the experiment has", () => {
  assert.throws(
    () => parseExpectedFile(withValue({ cell: "labels/9-9/asymmetric" }), PATH, SCOPE),
    new ExpectedFileError(
      `${PATH}: values[1].cell: unknown cell "labels/9-9/asymmetric" of table2, expected one of ` +
        `teacher/full/-, labels/1-10/asymmetric`,
    ),
  );
  assert.throws(
    () => parseExpectedFile(withValue({ measure: "MAP" }), PATH, SCOPE),
    /values\[1\]\.measure: unknown measure "MAP" of table2, expected one of RR@10, nDCG@10/,
  );
});

Deno.test("parseExpectedFile: values off printed precision, the wrong experiment, a duplicate", () => {
  assert.throws(
    () => parseExpectedFile(withValue({ expected: 0.12345 }), PATH, SCOPE),
    /values\[1\]\.expected: found 0\.12345, expected a number >= 0 with 4 decimals/,
  );
  assert.throws(
    () =>
      parseExpectedFile(
        withValue({ paper: { kind: "guess", value: 1, source: "x" } }),
        PATH,
        SCOPE,
      ),
    /values\[1\]\.paper\.kind: found "guess", expected "transcribed" or "secondary"/,
  );
  assert.throws(
    () => parseExpectedFile(renderExpectedFile(FILE), PATH, { ...SCOPE, experiment: "table3" }),
    /table2\.tiny\.json: experiment: found "table2", expected "table3"/,
  );
  assert.throws(
    () => parseExpectedFile(withValue({ cell: "teacher/full/-", measure: "RR@10" }), PATH, SCOPE),
    /values\[1\]: teacher\/full\/- RR@10 is listed twice/,
  );
});
