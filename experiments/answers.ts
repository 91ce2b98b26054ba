/**
 * The answer strings of a BEIR-layout dataset's queries (`queries.jsonl`, `metadata.answers`): what
 * DPR answer matching (Success@k of table1) judges retrieved passages by. Queries without answers
 * are left out; a dataset without any gives an empty map (its Success@k then comes from the qrels).
 *
 * @module
 */

import { join } from "node:path";
import { pathExists } from "../src/io/mod.ts";
import type { CellSummary } from "./aggregate.ts";
import type { ExperimentDefinition } from "./definition.ts";

/** Query id -> answer strings, for the queries of `dir`/queries.jsonl that carry answers. */
export async function readAnswers(dir: string): Promise<Map<string, readonly string[]>> {
  const path = join(dir, "queries.jsonl");
  const answers = new Map<string, readonly string[]>();
  if (!(await pathExists(path))) return answers;
  const lines = (await Deno.readTextFile(path)).split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SyntaxError(`Cannot read answers from "${path}" line ${i + 1}: ${reason}`);
    }
    const query = value as { _id?: unknown; metadata?: { answers?: unknown } };
    const list = query.metadata?.answers;
    if (list === undefined) return;
    if (
      typeof query._id !== "string" || !Array.isArray(list) ||
      !list.every((a) => typeof a === "string")
    ) {
      throw new TypeError(
        `Cannot read answers from "${path}" line ${
          i + 1
        }: expected {"_id": string, "metadata": {"answers": [string, ...]}}`,
      );
    }
    if (list.length > 0) answers.set(query._id, list as string[]);
  });
  return answers;
}

/**
 * Lines under a table with answer matching: how each Success@k was judged (read from the
 * teacher's record, else any cell's), so the table says which kind it shows.
 */
export function answerMatchingNotes(
  experiment: ExperimentDefinition,
  summaries: readonly CellSummary[],
): string[] {
  if (experiment.answerMatching !== true) return [];
  const success = experiment.measures.filter((m) => m.startsWith("Success@"));
  const judged = (s: CellSummary) =>
    (s.first.provenance["judgedBy"] ?? {}) as Readonly<Record<string, string>>;
  const withAnswers = summaries.find((s) => Object.keys(judged(s)).length > 0);
  const others = experiment.measures.filter((m) => !success.includes(m));
  return [
    ...success.map((m) => {
      const by = withAnswers === undefined ? undefined : judged(withAnswers)[m];
      return by === undefined
        ? `${m}: judged by the qrels (the test questions carry no answer strings)`
        : `${m}: judged by ${by}`;
    }),
    ...(others.length === 0 ? [] : [`${others.join(", ")}: judged by the qrels`]),
  ];
}
