/**
 * The paper's numbers (one typed value per cell, with its source) and the paper's claims as
 * typed checks. EmbedDistill: Kim et al., arXiv 2301.12005 v2 (2023).
 *
 * @module
 */

import type { CellRef } from "./cell_id.ts";

/** A number from the paper, or where it would be. Values are fractions (37.2 % -> 0.372). */
export type PaperValue =
  | {
    readonly kind: "transcribed";
    readonly value: number;
    /** Table and cell of arXiv 2301.12005 v2. */
    readonly source: string;
  }
  | {
    /** Second-hand and unverified: shown as such, never a pass/fail threshold. */
    readonly kind: "secondary";
    readonly value: number;
    readonly source: string;
    readonly note?: string;
  }
  | { readonly kind: "not-transcribed" };

/** One paper value of a table: which cell, which measure. */
export interface PaperCell {
  readonly table: string;
  readonly cell: CellRef;
  /** Canonical measure name of src/eval (e.g. `RR@10`). */
  readonly measure: string;
  readonly value: PaperValue;
}

const SECONDARY_SOURCE =
  "third-party notes on arXiv 2301.12005 (cumulative ablation, BERT-mini student), " +
  "shared/docs/PAPER.md";

function secondary(value: number, note?: string): PaperValue {
  return note === undefined
    ? { kind: "secondary", value, source: SECONDARY_SOURCE }
    : { kind: "secondary", value, source: SECONDARY_SOURCE, note };
}

const TEACHER: CellRef = { method: "teacher", size: "full", mode: "-" };

/**
 * The paper's numbers the suite knows. No table of the paper itself could be transcribed here;
 * the cumulative ablation below is second-hand (PAPER.md). Cells not listed are "not
 * transcribed".
 */
export const PAPER_CELLS: readonly PaperCell[] = [
  // MS MARCO dev MRR@10 (table2).
  { table: "table2", cell: TEACHER, measure: "RR@10", value: secondary(0.372) },
  {
    table: "table2",
    cell: { method: "labels", size: "1-10", mode: "symmetric" },
    measure: "RR@10",
    value: secondary(0.186),
  },
  {
    table: "table2",
    cell: { method: "score-kd", size: "1-10", mode: "symmetric" },
    measure: "RR@10",
    value: secondary(0.286),
  },
  {
    table: "table2",
    cell: { method: "score-kd", size: "1-10", mode: "asymmetric" },
    measure: "RR@10",
    value: secondary(0.303),
  },
  {
    table: "table2",
    cell: { method: "embeddistill", size: "1-10", mode: "asymmetric" },
    measure: "RR@10",
    value: secondary(0.354),
  },
  {
    table: "table2",
    cell: { method: "embeddistill-qgen", size: "1-10", mode: "asymmetric" },
    measure: "RR@10",
    value: secondary(0.348),
  },
  // NQ dev Recall@5 by answer matching (table1).
  { table: "table1", cell: TEACHER, measure: "Success@5", value: secondary(0.723) },
  {
    table: "table1",
    cell: { method: "labels", size: "1-10", mode: "symmetric" },
    measure: "Success@5",
    value: secondary(0.248),
  },
  {
    table: "table1",
    cell: { method: "score-kd", size: "1-10", mode: "symmetric" },
    measure: "Success@5",
    value: secondary(0.443),
  },
  {
    table: "table1",
    cell: { method: "score-kd", size: "1-10", mode: "asymmetric" },
    measure: "Success@5",
    value: secondary(0.561, "the other note reads 56.3"),
  },
  {
    table: "table1",
    cell: { method: "embeddistill", size: "1-10", mode: "asymmetric" },
    measure: "Success@5",
    value: secondary(0.611, "the other note reads 61.2"),
  },
  {
    table: "table1",
    cell: { method: "embeddistill-qgen", size: "1-10", mode: "asymmetric" },
    measure: "Success@5",
    value: secondary(0.643),
  },
];

/** The paper's value of one cell and measure, "not transcribed" when unknown. */
export function paperValue(table: string, cell: CellRef, measure: string): PaperValue {
  const found = PAPER_CELLS.find((p) =>
    p.table === table && p.measure === measure && p.cell.method === cell.method &&
    p.cell.size === cell.size && p.cell.mode === cell.mode
  );
  return found?.value ?? { kind: "not-transcribed" };
}

/** A claim of the paper, checked on a run (verdicts: EXPERIMENTS.md "Claim verdicts"). */
export type Claim =
  | {
    /** `student` keeps at least `threshold` of `teacher` on the table's first measure. */
    readonly kind: "retention";
    readonly id: string;
    readonly statement: string;
    readonly student: CellRef;
    readonly teacher: CellRef;
    readonly threshold: number;
  }
  | {
    /** Each cell of `chain` is significantly better than the next. */
    readonly kind: "better";
    readonly id: string;
    readonly statement: string;
    readonly chain: readonly CellRef[];
  }
  | {
    /** `candidate` is not significantly worse than `baseline`. */
    readonly kind: "not-worse";
    readonly id: string;
    readonly statement: string;
    readonly candidate: CellRef;
    readonly baseline: CellRef;
  };

const cell = (method: string, size: string, mode: string): CellRef => ({ method, size, mode });

/** The DE -> DE claims, for a table with the given sizes (table1 and table2). */
export function dualEncoderClaims(sizes: readonly string[]): Claim[] {
  const claims: Claim[] = [{
    kind: "retention",
    id: "retention-1-10-asymmetric",
    statement: "A 1/10-size asymmetric EmbedDistill student keeps >= 95 % of the teacher",
    student: cell("embeddistill", "1-10", "asymmetric"),
    teacher: TEACHER,
    threshold: 0.95,
  }];
  for (const size of sizes) {
    for (const mode of ["asymmetric", "symmetric"]) {
      claims.push({
        kind: "better",
        id: `embeddistill-over-score-kd-over-labels-${size}-${mode}`,
        statement: `EmbedDistill > score KD > labels only (${size}, ${mode})`,
        chain: [
          cell("embeddistill", size, mode),
          cell("score-kd", size, mode),
          cell("labels", size, mode),
        ],
      });
    }
    claims.push({
      kind: "not-worse",
      id: `asymmetric-not-worse-${size}`,
      statement: `Asymmetric >= symmetric at equal query-tower size (${size}, EmbedDistill)`,
      candidate: cell("embeddistill", size, "asymmetric"),
      baseline: cell("embeddistill", size, "symmetric"),
    });
  }
  claims.push({
    kind: "better",
    id: "query-generation-helps-1-10",
    statement: "Query generation helps the smallest student (1/10, asymmetric)",
    chain: [
      cell("embeddistill-qgen", "1-10", "asymmetric"),
      cell("embeddistill", "1-10", "asymmetric"),
    ],
  });
  return claims;
}

/**
 * The CE -> DE claims (table3) for cross-encoders `ids` (the first a [CLS] head, the others dual
 * pooling) and one student size: each CE re-ranks better than the DE teacher of its size; score KD
 * from each CE beats labels only; dual pooling (score KD + embedding matching) beats [CLS] (score
 * KD); embedding matching adds to score KD for each dual-pooling CE.
 */
export function crossEncoderClaims(ids: readonly string[], size: string): Claim[] {
  const [cls, ...dual] = ids;
  if (cls === undefined) return [];
  const claims: Claim[] = [];
  for (const id of ids) {
    claims.push({
      kind: "better",
      id: `${id}-rerank-over-teacher`,
      statement: `${id} re-ranking the DE teacher's top k beats the DE teacher of its size`,
      chain: [cell(id, "full", "-"), TEACHER],
    });
    claims.push({
      kind: "better",
      id: `${id}-score-kd-over-labels-${size}`,
      statement: `Score KD from ${id} > labels only (${size}, symmetric)`,
      chain: [cell(`${id}-score-kd`, size, "symmetric"), cell("labels", size, "symmetric")],
    });
  }
  for (const id of dual) {
    claims.push({
      kind: "better",
      id: `${id}-over-cls-${size}`,
      statement: `Dual pooling (${id}, EmbedDistill) > [CLS] pooling (${cls}, score KD) (${size})`,
      chain: [
        cell(`${id}-embeddistill`, size, "symmetric"),
        cell(`${cls}-score-kd`, size, "symmetric"),
      ],
    });
    claims.push({
      kind: "not-worse",
      id: `${id}-asymmetric-not-worse-${size}`,
      statement: `Asymmetric (the CE's document-alone embeddings) >= symmetric (${id}, ${size})`,
      candidate: cell(`${id}-embeddistill`, size, "asymmetric"),
      baseline: cell(`${id}-embeddistill`, size, "symmetric"),
    });
    claims.push({
      kind: "better",
      id: `${id}-embeddistill-over-score-kd-${size}`,
      statement: `Embedding matching adds to score KD from ${id} (${size}, symmetric)`,
      chain: [
        cell(`${id}-embeddistill`, size, "symmetric"),
        cell(`${id}-score-kd`, size, "symmetric"),
      ],
    });
  }
  return claims;
}
