/**
 * A deliberately plain reference evaluator (split text, sort every ranking with compareRanked,
 * walk it as trec_eval's m_*.c do): the independent check of the fast engine in tests and its
 * baseline in bench/eval_bench.ts. Not exported from mod.ts.
 *
 * @module
 */

import { compareRanked, type Measure, type Qrels, type Scored } from "../eval/mod.ts";

/** Parse run text naively: split lines and fields, no validation beyond field count. */
export function parseRunText(text: string): Map<string, Scored[]> {
  const run = new Map<string, Scored[]>();
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6) continue;
    const [qid = "", , docId = "", , score = ""] = fields;
    let docs = run.get(qid);
    if (docs === undefined) run.set(qid, docs = []);
    docs.push({ docId, score: Number(score) });
  }
  return run;
}

/** Mean and per-query values of each measure, walking full sorted rankings. */
export function referenceEvaluate(
  qrels: Qrels,
  run: ReadonlyMap<string, readonly Scored[]>,
  measures: readonly Measure[],
): { perQuery: Map<string, number>; mean: number }[] {
  const ids = [...run.keys()].filter((id) => qrels.queries.has(id)).sort((
    a,
    b,
  ) => (a < b ? -1 : a > b ? 1 : 0));
  return measures.map((m) => {
    const perQuery = new Map<string, number>();
    let sum = 0;
    for (const id of ids) {
      const judged = qrels.queries.get(id)!;
      let docs = [...run.get(id)!];
      if (m.dropIdenticalIds) docs = docs.filter((d) => d.docId !== id);
      docs.sort(compareRanked);
      const labels = docs.map((d) => judged.get(d.docId));
      const value = referenceValue(m, labels, [...judged.values()]);
      perQuery.set(id, value);
      sum += value;
    }
    const count = m.missing === "zero" ? qrels.queries.size : ids.length;
    if (m.missing === "zero") {
      for (const id of qrels.queries.keys()) if (!perQuery.has(id)) perQuery.set(id, 0);
    }
    return { perQuery, mean: sum / count };
  });
}

/** Value of `m` for a ranked label list (undefined = not judged) and all judged labels. */
function referenceValue(
  m: Measure,
  ranked: readonly (number | undefined)[],
  judged: readonly number[],
): number {
  const k = Math.min(m.cutoff ?? Infinity, ranked.length);
  const top = ranked.slice(0, k);
  const relevant = judged.filter((l) => l >= m.rel).length;
  const isHit = (l: number | undefined): boolean => l !== undefined && l >= m.rel;
  const hits = top.filter(isHit).length;
  switch (m.kind) {
    case "nDCG": {
      let dcg = 0;
      top.forEach((l, i) => {
        if (l !== undefined && l > 0) dcg += l / Math.log2(i + 2);
      });
      const ideal = judged.filter((l) => l > 0).sort((a, b) => b - a).slice(0, m.cutoff ?? Infinity)
        .reduce((s, l, i) => s + l / Math.log2(i + 2), 0);
      return ideal > 0 ? dcg / ideal : dcg;
    }
    case "RR": {
      const i = top.findIndex(isHit);
      return i < 0 ? 0 : 1 / (i + 1);
    }
    case "R":
      return relevant === 0 ? 0 : hits / relevant;
    case "P":
      return hits / m.cutoff!;
    case "AP": {
      let found = 0;
      let sum = 0;
      top.forEach((l, i) => {
        if (isHit(l)) sum += ++found / (i + 1);
      });
      return relevant === 0 || found === 0 ? 0 : sum / relevant;
    }
    case "Judged":
      return top.length === 0 ? 0 : top.filter((l) => l !== undefined).length / top.length;
    case "Success":
      return hits > 0 ? 1 : 0;
    default: {
      const never: never = m.kind;
      throw new TypeError(`Cannot compute measure of kind "${never}"`);
    }
  }
}
