/**
 * Evaluation engine: trec_eval-exact ranking measures, run and qrels readers, per-query results.
 *
 * @module
 */

export { compareRanked, type Scored } from "./ranking_order.ts";
