/**
 * The experiment registry: every table the suite reproduces, by id. The paper's table numbering
 * is uncertain (PAPER.md), so a renumbering is one edit here.
 *
 * @module
 */

import type { ExperimentDefinition } from "./definition.ts";
import { ABLATIONS } from "./ablations.ts";
import { TABLE1 } from "./table1.ts";
import { TABLE2 } from "./table2.ts";
import { TABLE3 } from "./table3.ts";
import { TABLE4 } from "./table4.ts";

export type {
  ExperimentDefinition,
  Method,
  PresetName,
  SizeName,
  StudentMode,
} from "./definition.ts";
export { PRESET_NAMES } from "./definition.ts";
export { cellKey, type CellRef, formatCellId, parseCellId } from "./cell_id.ts";
export {
  type Claim,
  dualEncoderClaims,
  PAPER_CELLS,
  type PaperValue,
  paperValue,
} from "./paper.ts";
export {
  ALPHA,
  type CellQuality,
  claimPairs,
  type ClaimVerdict,
  compareCells,
  type Comparison,
  judgeClaims,
  type Verdict,
} from "./verdicts.ts";

/**
 * Every experiment, in the order `reproduce all` runs them: table2 first (its teacher is shared by
 * table3, table4 and the ablations, and table4 reads its students), table1 (its own NQ teacher),
 * table4, then the ablations.
 */
export const EXPERIMENTS: readonly ExperimentDefinition[] = [
  TABLE2,
  TABLE3,
  TABLE1,
  TABLE4,
  ABLATIONS,
];

/** The experiment `id`, or a RangeError listing the valid ids. */
export function findExperiment(id: string): ExperimentDefinition {
  const found = EXPERIMENTS.find((e) => e.id === id);
  if (found === undefined) {
    throw new RangeError(
      `Unknown experiment "${id}": expected one of ${EXPERIMENTS.map((e) => e.id).join(", ")}, all`,
    );
  }
  return found;
}
