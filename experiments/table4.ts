/**
 * table4: BEIR-style zero-shot. table2's teacher and students, unchanged (the same run key of
 * table2: its records and student directories are read from `results/runs/<table2 key>`, and a
 * student table2 has not trained yet is trained there, exactly as table2 would), evaluated on
 * corpora they never saw: mini and tiny on synthetic corpora generated from another world seed
 * (7; the in-domain data uses 42) in the generic and NQ shapes, full on the BEIR sets of
 * datasets.lock; `--beir ID...` adds cached real sets explicitly (a table never changes with
 * what happens to be downloaded). nDCG@10 per corpus, its mean over corpora (the headline), and
 * retention per corpus.
 *
 * @module
 */

import type { ExperimentDefinition } from "./definition.ts";
import type { Claim } from "./paper.ts";
import { TABLE2 } from "./table2.ts";

const cell = (method: string, size: string, mode: string) => ({ method, size, mode });

/** The zero-shot readings checked on table4 (the headline: nDCG@10 averaged over corpora). */
const ZERO_SHOT_CLAIMS: readonly Claim[] = [
  {
    kind: "better",
    id: "zero-shot-embeddistill-over-labels-1-10",
    statement:
      "Out of domain, the 1/10 asymmetric EmbedDistill student beats the one trained on labels only",
    chain: [cell("embeddistill", "1-10", "asymmetric"), cell("labels", "1-10", "asymmetric")],
  },
  {
    kind: "not-worse",
    id: "zero-shot-asymmetric-not-worse-1-10",
    statement:
      "Out of domain, asymmetric >= symmetric at equal query-tower size (1-10, EmbedDistill)",
    candidate: cell("embeddistill", "1-10", "asymmetric"),
    baseline: cell("embeddistill", "1-10", "symmetric"),
  },
];

/** The definition of table4 (EXPERIMENTS.md "Data per table"). */
export const TABLE4: ExperimentDefinition = {
  id: "table4",
  title: "BEIR-style zero-shot: table2's teacher and students on out-of-domain corpora",
  shows: "table2's MS MARCO-trained teacher, BM25 and students, unchanged, retrieve from corpora " +
    "of other worlds (synthetic: another world seed, generic and NQ shapes; full: BEIR). " +
    "nDCG@10 per corpus and its mean over corpora; retention of the teacher per corpus.",
  data: TABLE2.data,
  teacher: TABLE2.teacher,
  sizes: TABLE2.sizes,
  methods: TABLE2.methods,
  baseline: TABLE2.baseline,
  measures: ["nDCG@10"],
  seeds: TABLE2.seeds,
  claims: ZERO_SHOT_CLAIMS,
  zeroShot: {
    source: TABLE2.id,
    corpora: {
      tiny: ["synthetic-ood-generic/tiny", "synthetic-ood-nq/tiny"],
      mini: ["synthetic-ood-generic/mini", "synthetic-ood-nq/mini"],
      full: [
        "beir/scifact",
        "beir/nfcorpus",
        "beir/fiqa",
        "beir/arguana",
        "beir/scidocs",
        "beir/trec-covid",
        "beir/quora",
        "beir/nq",
        "beir/hotpotqa",
      ],
    },
    measure: "nDCG@10",
  },
};
