/**
 * table2: MS MARCO-shaped, dual-encoder teacher -> dual-encoder students, asymmetric vs
 * symmetric, 1/10 and 2/3 sizes, the cumulative rows plus Margin-MSE.
 *
 * @module
 */

import { DUAL_ENCODER_METHODS, type ExperimentDefinition } from "./definition.ts";
import { dualEncoderClaims } from "./paper.ts";

/** The definition of table2 (EXPERIMENTS.md "Data per table"). */
export const TABLE2: ExperimentDefinition = {
  id: "table2",
  title: "MS MARCO: DE -> DE distillation, asymmetric vs symmetric students",
  shows: "A dual-encoder teacher distilled into 1/10- and 2/3-size students, symmetric and " +
    "asymmetric (query tower + the teacher's frozen document embeddings), row by row: labels " +
    "only, + score KD, + embedding matching (EmbedDistill), + query generation; Margin-MSE " +
    "beside them. The paper's headline: the 1/10 asymmetric student keeps 95-97 % of the teacher.",
  data: {
    tiny: { dataset: "synthetic-msmarco/tiny", train: "train", dev: "dev", test: "test" },
    mini: { dataset: "synthetic-msmarco/mini", train: "train", dev: "dev", test: "test" },
    full: { dataset: "msmarco-passage", train: "train", dev: "dev", test: "dev" },
  },
  teacher: { kind: "dual" },
  sizes: ["1-10", "2-3"],
  methods: DUAL_ENCODER_METHODS,
  baseline: "labels",
  measures: ["RR@10", "nDCG@10", "R@1000"],
  seeds: 1,
  claims: dualEncoderClaims(["1-10", "2-3"]),
};
