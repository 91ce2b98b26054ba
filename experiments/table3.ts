/**
 * table3: MS MARCO-shaped, cross-encoder teachers -> dual-encoder students: a [CLS]-head CE, a
 * dual-pooling CE, and a dual-pooling CE with the document-alone regulariser, all of the DE
 * teacher's size. Each CE re-ranks the DE teacher's top k (and BM25's); 1/10 symmetric students
 * distil each CE by score KD over candidate lists, and the dual-pooling ones also by matching the
 * CE's pooled embeddings.
 *
 * What a student matches, written down (EmbedDistill section 4.2; the paper's exact recipe is not
 * available): score KD runs over fixed candidate lists [positive, k negatives] (the negatives half
 * BM25's, half the DE teacher's, drawn from each one's top 100 — as the CE was trained), never
 * in-batch (that would cost n^2 CE passes per step); the targets of embedding matching are the
 * CE's dual-pooled pair of the joint pass over `[CLS] q [SEP] d+ [SEP]` (segment ids 0 for
 * `[CLS] q [SEP]`, 1 for `d [SEP]`): the query segment's mean for Eq. 7, the document segment's for
 * Eq. 8 — the two vectors whose inner product is the CE's score.
 *
 * Asymmetric students (dual-pooling CEs only) score against the CE's document-alone embeddings
 * (`[CLS] [SEP] d [SEP]`, segment ids 0 0 1 ... 1), computed once per corpus document; their
 * embedding matching is Eq. 7 on the pair's query mean. The CE -> DE issue admits them when
 * `deno task diagnose-ce` keeps >= 80 % of the CE's re-ranking quality with those embeddings: on
 * mini the dual-pooling CE's query-alone x document-alone retrieval over the whole corpus had RR@10
 * 0.2614 against 0.2579 for the CE re-ranking the DE teacher's top 30 (101 %); the [CLS] CE's 0.4 %.
 *
 * @module
 */

import type { CrossEncoderRole, ExperimentDefinition, Method } from "./definition.ts";
import { crossEncoderClaims } from "./paper.ts";

/** The three cross-encoder teachers of table3. */
export const TABLE3_CROSS_ENCODERS: readonly CrossEncoderRole[] = [
  { id: "ce-cls", label: "CE [CLS] head", scorer: "cls", regulariser: 0, init: "random" },
  {
    id: "ce-dual",
    label: "CE dual pooling",
    scorer: "dual-pooling",
    regulariser: 0,
    init: "teacher",
  },
  {
    id: "ce-dual-reg",
    label: "CE dual pooling + regulariser",
    scorer: "dual-pooling",
    regulariser: 1,
    init: "teacher",
  },
];

const symmetric = ["symmetric"] as const;
const both = ["symmetric", "asymmetric"] as const;

function rows(ce: CrossEncoderRole): Method[] {
  const kd: Method = {
    id: `${ce.id}-score-kd`,
    label: `${ce.label}: score KD`,
    loss: {
      asymmetric: { terms: [{ kind: "score-kd" }] },
      symmetric: { terms: [{ kind: "score-kd" }] },
    },
    queryGeneration: false,
    // An asymmetric student scores against the CE's document-alone embeddings: only a
    // dual-pooling CE has them (a [CLS] CE's segment means are untrained).
    modes: ce.scorer === "cls" ? symmetric : both,
    role: "cumulative",
    crossEncoder: ce.id,
  };
  if (ce.scorer === "cls") return [kd];
  const matching = [
    { kind: "score-kd" },
    { kind: "embed-match", side: "query" },
    { kind: "embed-match", side: "document" },
  ] as const;
  return [kd, {
    id: `${ce.id}-embeddistill`,
    label: `${ce.label}: score KD + embedding matching`,
    loss: { asymmetric: { terms: matching.slice(0, 2) }, symmetric: { terms: matching } },
    queryGeneration: false,
    modes: both,
    role: "cumulative",
    crossEncoder: ce.id,
  }];
}

/** The definition of table3 (EXPERIMENTS.md "Data per table"). */
export const TABLE3: ExperimentDefinition = {
  id: "table3",
  title: "MS MARCO: CE -> DE distillation, [CLS] vs dual pooling",
  shows:
    "Cross-encoder teachers of the DE teacher's size ([CLS] head, dual pooling, dual pooling " +
    "+ regulariser) re-rank the DE teacher's top 100 and are distilled into 1/10-size dual " +
    "encoders (symmetric; asymmetric against a dual-pooling CE's document-alone embeddings): labels only, score KD over candidate lists, and score KD + matching the CE's " +
    "dual-pooled embeddings. The paper's claim: dual pooling > [CLS] for CE -> DE. What is " +
    "matched: score KD runs over fixed candidate lists [positive, 7 negatives] (half BM25's, half " +
    "the DE teacher's), never in-batch; embedding matching targets the joint pass's pooled pair " +
    "(query-segment and document-segment means of [CLS] q [SEP] d [SEP], whose inner product is " +
    "the CE's score). The document-alone input, [CLS] [SEP] d [SEP] with segment ids 0 0 1 ... 1, " +
    "is what `deno task diagnose-ce` scores documents by.",
  data: {
    tiny: { dataset: "synthetic-msmarco/tiny", train: "train", dev: "dev", test: "test" },
    mini: { dataset: "synthetic-msmarco/mini", train: "train", dev: "dev", test: "test" },
    full: { dataset: "msmarco-passage", train: "train", dev: "dev", test: "dev" },
  },
  teacher: { kind: "cross", crossEncoders: TABLE3_CROSS_ENCODERS },
  sizes: ["1-10"],
  methods: [
    {
      id: "labels",
      label: "student on labels only",
      loss: {
        asymmetric: { terms: [{ kind: "one-hot" }] },
        symmetric: { terms: [{ kind: "one-hot" }] },
      },
      queryGeneration: false,
      modes: symmetric,
      role: "cumulative",
    },
    ...TABLE3_CROSS_ENCODERS.flatMap(rows),
  ],
  baseline: "labels",
  measures: ["RR@10", "nDCG@10", "R@100"],
  seeds: 1,
  claims: crossEncoderClaims(TABLE3_CROSS_ENCODERS.map((ce) => ce.id), "1-10"),
};
