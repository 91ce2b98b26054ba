/**
 * What a report needs from an experiment's definition, as plain data: its title, measures
 * (the first is the headline), the baseline method, and the table's rows in order with their
 * labels and groups. Experiments build it from their definition; the report itself knows no
 * experiment.
 *
 * @module
 */

/** One row of a report's table: a seed-free cell. */
export interface ReportRow {
  readonly method: string;
  readonly size: string;
  readonly mode: string;
  /** As the report shows the method (e.g. `+ score KD`). */
  readonly label: string;
  /**
   * Rows of one group are a cumulative ablation: each is compared with the row above it in the
   * same group. Null for reference rows (teacher, BM25), which have no row above.
   */
  readonly group: string | null;
}

/** The experiment side of a report. */
export interface ReportLayout {
  readonly kind: "report-layout";
  readonly id: string;
  readonly title: string;
  /** What the paper's table shows. */
  readonly shows: string;
  /** Canonical measure names; the first is the headline (retention, charts, claims). */
  readonly measures: readonly string[];
  /** The method every other is compared with (per size and mode). */
  readonly baseline: string;
  /** The teacher's row key (`method/size/mode`), for retention; null when the table has none. */
  readonly teacher: string | null;
  /** Rows in table order. Stored cells not listed are appended after them. */
  readonly rows: readonly ReportRow[];
}

/** The seed-free key `method/size/mode` of a row or cell. */
export function rowKey(
  row: { readonly method: string; readonly size: string; readonly mode: string },
): string {
  return `${row.method}/${row.size}/${row.mode}`;
}
