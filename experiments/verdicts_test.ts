import assert from "node:assert/strict";
import { seededRandom } from "../src/engine/mod.ts";
import type { CellRef } from "./cell_id.ts";
import { dualEncoderClaims, paperValue } from "./paper.ts";
import { type CellQuality, claimPairs, compareCells, judgeClaims } from "./verdicts.ts";

const cell = (method: string, size: string, mode: string): CellRef => ({ method, size, mode });

/** 40 queries; `level` plus a small per-query wobble, so paired differences are consistent. */
function quality(c: CellRef, level: number, noise = 0.02): CellQuality {
  const perQuery = new Map<string, number>();
  for (let q = 0; q < 40; q++) perQuery.set(`q${q}`, level + noise * Math.sin(q * 1.7));
  const mean = [...perQuery.values()].reduce((s, x) => s + x, 0) / perQuery.size;
  return { cell: c, measure: "RR@10", mean, perQuery };
}

Deno.test("claims: holds, fails, inconclusive and not measured from a synthetic table", () => {
  const cells = [
    quality(cell("teacher", "full", "-"), 0.4),
    quality(cell("embeddistill", "1-10", "asymmetric"), 0.39),
    quality(cell("score-kd", "1-10", "asymmetric"), 0.3),
    quality(cell("labels", "1-10", "asymmetric"), 0.2),
    // symmetric: score KD significantly worse than labels only -> the chain fails
    quality(cell("embeddistill", "1-10", "symmetric"), 0.35),
    quality(cell("score-kd", "1-10", "symmetric"), 0.1),
    quality(cell("labels", "1-10", "symmetric"), 0.2),
    // query generation: identical per-query values -> inconclusive
    quality(cell("embeddistill-qgen", "1-10", "asymmetric"), 0.39),
  ];
  const claims = dualEncoderClaims(["1-10"]);
  const comparisons = compareCells(claimPairs(claims), ["RR@10"], cells, {
    random: seededRandom(3),
    permutations: 2000,
  });
  const verdicts = Object.fromEntries(
    judgeClaims(claims, "RR@10", cells, comparisons).map((v) => [v.id, v]),
  );
  assert.equal(verdicts["retention-1-10-asymmetric"]!.verdict, "holds");
  assert.match(verdicts["retention-1-10-asymmetric"]!.evidence, /97\.5 % \(threshold 95 %\)/);
  assert.equal(
    verdicts["embeddistill-over-score-kd-over-labels-1-10-asymmetric"]!.verdict,
    "holds",
  );
  assert.equal(verdicts["embeddistill-over-score-kd-over-labels-1-10-symmetric"]!.verdict, "fails");
  assert.equal(verdicts["asymmetric-not-worse-1-10"]!.verdict, "holds");
  assert.equal(verdicts["query-generation-helps-1-10"]!.verdict, "inconclusive");

  const partial = judgeClaims(claims, "RR@10", cells.slice(0, 2), []);
  assert.equal(partial.find((v) => v.id === "asymmetric-not-worse-1-10")!.verdict, "not measured");
});

Deno.test("retention below the threshold fails; Holm adjusts over the whole family", () => {
  const cells = [
    quality(cell("teacher", "full", "-"), 0.4),
    quality(cell("embeddistill", "1-10", "asymmetric"), 0.3),
  ];
  const [retention] = judgeClaims(dualEncoderClaims(["1-10"]).slice(0, 1), "RR@10", cells, []);
  assert.equal(retention!.verdict, "fails");
  const pairs: [CellRef, CellRef][] = [[cells[1]!.cell, cells[0]!.cell]];
  const one = compareCells(pairs, ["RR@10"], cells, { random: seededRandom(1), permutations: 99 });
  assert.equal(one.length, 1);
  assert.equal(one[0]!.randomizationP, 0.01); // (1 + 0) / (1 + 99): never as extreme
  assert.equal(one[0]!.adjustedP, 0.01);
  const twice = compareCells([...pairs, [cells[0]!.cell, cells[1]!.cell]], ["RR@10"], cells, {
    random: seededRandom(1),
    permutations: 99,
  });
  assert.deepEqual(twice.map((c) => c.adjustedP), [0.02, 0.02]);
});

Deno.test("paper values: secondary numbers are marked, the rest not transcribed", () => {
  const v = paperValue("table2", cell("embeddistill", "1-10", "asymmetric"), "RR@10");
  assert.equal(v.kind, "secondary");
  assert.equal(v.kind === "secondary" && v.value, 0.354);
  assert.deepEqual(paperValue("table2", cell("labels", "2-3", "symmetric"), "RR@10"), {
    kind: "not-transcribed",
  });
});
