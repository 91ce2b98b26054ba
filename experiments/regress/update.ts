/**
 * `regress --update --why TEXT`: an expected file rewritten from a run's values (tolerances,
 * spreads and the paper's numbers kept; a value the run did not produce kept as it was), and the
 * CHANGELOG.md entry saying what moved, by how much, and why.
 *
 * @module
 */

import type { Check } from "./check.ts";
import type { ExpectedFile } from "./expected_file.ts";
import { atPrinted } from "./verdict.ts";

/** One moved value. */
export interface Move {
  readonly experiment: string;
  readonly cell: string;
  readonly measure: string;
  readonly from: number;
  readonly to: number;
}

/** `file` with every checked value's expected set to its actual value at printed precision. */
export function updatedFile(
  file: ExpectedFile,
  checks: readonly Check[],
): { readonly file: ExpectedFile; readonly moves: Move[] } {
  const moves: Move[] = [];
  const values = file.values.map((v) => {
    const c = checks.find((x) =>
      x.experiment === file.experiment && x.cell === v.cell && x.measure === v.measure
    );
    if (c === undefined || c.actual === null) return v;
    const to = atPrinted(c.actual);
    if (to === v.expected) return v;
    moves.push({
      experiment: file.experiment,
      cell: v.cell,
      measure: v.measure,
      from: v.expected,
      to,
    });
    return { ...v, expected: to };
  });
  return { file: { ...file, values }, moves };
}

/** What a CHANGELOG entry records. */
export interface ChangelogEntry {
  readonly date: string;
  readonly commit: string | null;
  readonly dirty: boolean;
  readonly why: string;
  /** Files rewritten (names under results/expected/). */
  readonly files: readonly string[];
  readonly moves: readonly Move[];
}

/** The Markdown of one entry (appended to results/expected/CHANGELOG.md). */
export function changelogEntry(e: ChangelogEntry): string {
  const commit = e.commit === null ? "unknown commit" : e.commit.slice(0, 12);
  const lines = [
    `## ${e.date} · ${commit}${e.dirty ? " (uncommitted changes)" : ""}`,
    "",
    `Why: ${e.why}`,
    "",
    `Files: ${e.files.join(", ")}`,
    "",
  ];
  if (e.moves.length === 0) {
    lines.push("Nothing moved (every value already equal at 4 decimals).", "");
    return lines.join("\n");
  }
  // A list with code spans (nothing for Markdown to escape); regress runs `deno fmt` after.
  lines.push("Moved:", "");
  for (const m of e.moves) {
    const d = atPrinted(m.to - m.from);
    lines.push(
      `- \`${m.experiment} ${m.cell} ${m.measure}\`: ${m.from.toFixed(4)} -> ${m.to.toFixed(4)} (${
        d >= 0 ? "+" : ""
      }${d.toFixed(4)})`,
    );
  }
  lines.push("");
  return lines.join("\n");
}

/** The header of a new CHANGELOG.md. */
export const CHANGELOG_HEADER = "# Changes to the expected values\n\n" +
  "Appended by `deno task regress --update --why TEXT`: when, at which commit, what moved and " +
  "why. Newest last.\n\n";
