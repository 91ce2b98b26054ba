import assert from "node:assert/strict";
import { formatMeasure, measure, MEASURE_KINDS, parseMeasure, withOptions } from "./measure.ts";

const CANONICAL = [
  "nDCG@10",
  "nDCG",
  "RR@10",
  "RR",
  "R@1000",
  "P@10",
  "AP",
  "AP@100",
  "Judged@10",
  "Success@20",
  "R(rel=2)@1000",
  "AP(rel=3)",
  "nDCG(missing=skip)@10",
  "nDCG(drop_identical_ids=true)@10",
  "RR(rel=2,missing=skip,drop_identical_ids=true)@10",
];

Deno.test("canonical measure strings round-trip through parse and format", () => {
  for (const text of CANONICAL) {
    const m = parseMeasure(text);
    assert.equal(formatMeasure(m), text);
    assert.deepEqual(parseMeasure(formatMeasure(m)), m);
  }
});

Deno.test("parseMeasure fills defaults and accepts options after the cutoff or explicit defaults", () => {
  assert.deepEqual(parseMeasure("nDCG@10"), {
    kind: "nDCG",
    cutoff: 10,
    rel: 1,
    missing: "zero",
    dropIdenticalIds: false,
  });
  assert.equal(formatMeasure(parseMeasure("R@1000(rel=2)")), "R(rel=2)@1000");
  assert.equal(formatMeasure(parseMeasure("P(rel=1, missing=zero)@5")), "P@5");
  assert.equal(formatMeasure(parseMeasure("AP(missing=skip,rel=2)")), "AP(rel=2,missing=skip)");
  assert.equal(formatMeasure(parseMeasure(" RR@10 ")), "RR@10");
});

Deno.test("every measure kind formats from the constructor", () => {
  for (const kind of MEASURE_KINDS) {
    const m = measure(kind, { cutoff: 5 });
    assert.equal(formatMeasure(m), `${kind}@5`);
  }
});

Deno.test("bad measures raise the documented error classes", () => {
  assert.throws(
    () => parseMeasure("MAP@10"),
    (e: Error) => e instanceof SyntaxError && /nDCG, RR, R, P, AP/.test(e.message),
  );
  assert.throws(() => parseMeasure("nDCG@0"), RangeError);
  assert.throws(() => parseMeasure("nDCG@-3"), RangeError);
  assert.throws(() => parseMeasure("nDCG@1.5"), RangeError);
  assert.throws(() => parseMeasure("nDCG@ten"), SyntaxError);
  assert.throws(() => parseMeasure("R"), TypeError); // cutoff required
  assert.throws(() => parseMeasure("nDCG(rel=2)@10"), TypeError); // nDCG uses graded gains
  assert.throws(() => parseMeasure("P(rel=0)@10"), RangeError);
  assert.throws(() => parseMeasure("P(foo=1)@10"), SyntaxError);
  assert.throws(() => parseMeasure("P(rel=1,rel=2)@10"), SyntaxError);
  assert.throws(() => parseMeasure("P(missing=maybe)@10"), SyntaxError);
  assert.throws(() => parseMeasure("P(rel=2)@10(rel=2)"), SyntaxError);
  assert.throws(() => measure("P", { cutoff: 0 }), RangeError);
  // @ts-expect-error: "MAP" is not a MeasureKind, and the runtime check agrees
  assert.throws(() => measure("MAP"), SyntaxError);
});

Deno.test("withOptions overrides policies and leaves rel alone where it does not apply", () => {
  const ndcg = withOptions(parseMeasure("nDCG@10"), { rel: 2, missing: "skip" });
  assert.equal(formatMeasure(ndcg), "nDCG(missing=skip)@10");
  const recall = withOptions(parseMeasure("R@100"), { rel: 2, dropIdenticalIds: true });
  assert.equal(formatMeasure(recall), "R(rel=2,drop_identical_ids=true)@100");
});
