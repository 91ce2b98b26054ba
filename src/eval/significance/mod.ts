/**
 * Paired significance tests over per-query values (paired t-test, paired randomisation test) and
 * Holm's correction for the comparisons of one table.
 *
 * @module
 */

export { pairByQuery, type PairedValues } from "./paired_values.ts";
export { type PairedTTest, pairedTTest } from "./paired_t.ts";
export {
  type PairedRandomizationTest,
  pairedRandomizationTest,
  type RandomizationOptions,
} from "./randomization.ts";
export { holmAdjust } from "./holm.ts";
