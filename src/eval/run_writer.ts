/**
 * Writing runs in TREC format (`qid Q0 docid rank score tag`), ranked, with scores printed so
 * that reading the file back reproduces the in-memory ranking exactly.
 *
 * @module
 */

import { rankedListAt, type Run } from "./run.ts";
import { writeAll } from "../io/mod.ts";

/** Options of {@linkcode formatRun} and {@linkcode writeRun}. */
export interface RunWriteOptions {
  /** The run tag, last column (default "embeddistill"); no whitespace. */
  readonly tag?: string;
}

/**
 * A score as the shortest decimal that parses back to the identical double (ECMAScript
 * Number-to-String; at most 17 significant digits, exponent form for very large or small
 * values, which C's strtod and this suite's reader both accept). This is exact, so it is at
 * least as precise as any fixed count of >= 9 significant digits.
 *
 * @throws {RangeError} for NaN or an infinite score
 */
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) {
    throw new RangeError(`Cannot write score ${score}: expected a finite number`);
  }
  return String(score);
}

function checkTag(tag: string): string {
  if (tag === "" || /\s/.test(tag)) {
    throw new SyntaxError(
      `Cannot write run with tag "${tag}": expected a non-empty tag without whitespace`,
    );
  }
  return tag;
}

/** Lines of a run in TREC format, one query at a time in the run's query order, ranked. */
export function* runLines(run: Run, options: RunWriteOptions = {}): Generator<string> {
  const tag = checkTag(options.tag ?? "embeddistill");
  for (let q = 0; q < run.queryIds.length; q++) {
    const queryId = run.queryIds[q]!;
    let rank = 0;
    for (const doc of rankedListAt(run, q)) {
      yield `${queryId} Q0 ${doc.docId} ${++rank} ${formatScore(doc.score)} ${tag}\n`;
    }
  }
}

/** The whole run as TREC text (for small runs; use {@linkcode writeRun} for files). */
export function formatRun(run: Run, options: RunWriteOptions = {}): string {
  let text = "";
  for (const line of runLines(run, options)) text += line;
  return text;
}

/** Write a run to `path` in TREC format, streaming in ~1 MiB blocks. */
export async function writeRun(
  path: string,
  run: Run,
  options: RunWriteOptions = {},
): Promise<void> {
  const encoder = new TextEncoder();
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  let block = "";
  for (const line of runLines(run, options)) {
    block += line;
    if (block.length >= 1 << 20) {
      await writeAll(file, encoder.encode(block));
      block = "";
    }
  }
  if (block.length > 0) await writeAll(file, encoder.encode(block));
}
