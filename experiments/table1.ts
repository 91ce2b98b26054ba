/**
 * table1: Natural Questions-shaped, dual-encoder teacher -> dual-encoder students, symmetric and
 * asymmetric, 1/10 and 2/3 sizes, the rows of table2. Success@5/20/100 are judged by DPR answer
 * matching (a passage counts when it contains an answer string of the question) wherever the test
 * questions carry answers (`metadata.answers` of the NQ-shaped synthetic data; the DPR files), by
 * the qrels otherwise; nDCG@10 (qrels) is kept for the data calibration. The teacher is trained
 * on the NQ data: another teacher hash than table2's. Its NQ-shaped questions have ~1.7 positive
 * passages each (10.2k training pairs at mini vs table2's 6k), so at mini it trains 18 epochs
 * (~2,870 steps, table2's teacher budget: 2,813) instead of the preset's 30 (4,783 steps).
 *
 * @module
 */

import { DUAL_ENCODER_METHODS, type ExperimentDefinition } from "./definition.ts";
import { dualEncoderClaims } from "./paper.ts";

/** The definition of table1 (EXPERIMENTS.md "Data per table"). */
export const TABLE1: ExperimentDefinition = {
  id: "table1",
  title: "Natural Questions: DE -> DE distillation, asymmetric vs symmetric students",
  shows: "A dual-encoder teacher trained on NQ-shaped data distilled into 1/10- and 2/3-size " +
    "students, symmetric and asymmetric, row by row as table2 (labels only, + score KD, + " +
    "embedding matching, + query generation; Margin-MSE beside). Success@k is DPR's top-k " +
    "retrieval accuracy by answer matching (qrels where the questions carry no answers).",
  data: {
    tiny: { dataset: "synthetic-nq/tiny", train: "train", dev: "dev", test: "test" },
    mini: { dataset: "synthetic-nq/mini", train: "train", dev: "dev", test: "test" },
    full: { dataset: "dpr/nq", train: "train", dev: "dev", test: "dev" },
  },
  teacher: { kind: "dual" },
  sizes: ["1-10", "2-3"],
  methods: DUAL_ENCODER_METHODS,
  baseline: "labels",
  measures: ["Success@5", "Success@20", "Success@100", "nDCG@10"],
  seeds: 1,
  claims: dualEncoderClaims(["1-10", "2-3"]),
  answerMatching: true,
  teacherEpochs: { mini: 18 },
};
