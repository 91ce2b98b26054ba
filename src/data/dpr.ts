/**
 * DPR loaders (Karpukhin et al., 2020, facebookresearch/DPR): biencoder training/dev files (one
 * multi-GB JSON array of `{question, answers, positive_ctxs, negative_ctxs, hard_negative_ctxs}`,
 * streamed element by element) and the Wikipedia passages `psgs_w100.tsv` (`id\ttext\ttitle`).
 *
 * @module
 */

import { readJsonArray, readLines } from "../io/mod.ts";
import { type Document, IdTracker, lineError } from "./records.ts";

/** A passage attached to a DPR question. */
export interface DprContext {
  readonly title: string;
  readonly text: string;
  /** `passage_id` (NQ) or `psg_id` (other DPR files) as a string, when present. */
  readonly passageId?: string;
  /** The retriever score DPR recorded (BM25 for hard negatives), when present. */
  readonly score?: number;
}

/** One question of a DPR biencoder file with its positive and negative passages. */
export interface DprExample {
  /** 0-based position in the file's array. */
  readonly index: number;
  readonly question: string;
  readonly answers: readonly string[];
  readonly positives: readonly DprContext[];
  /** Random negatives (`negative_ctxs`; `[]` when absent). */
  readonly negatives: readonly DprContext[];
  /** BM25 hard negatives (`hard_negative_ctxs`; `[]` when absent). */
  readonly hardNegatives: readonly DprContext[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Stream the examples of a DPR biencoder JSON file (gzip accepted) in memory bounded by one
 * example. A malformed element is a SyntaxError naming the element index and its line.
 *
 * @example
 * ```ts
 * for await (const ex of readDprBiencoder("biencoder-nq-dev.json")) {
 *   if (ex.positives.length === 0) continue;
 * }
 * ```
 */
export async function* readDprBiencoder(
  path: string,
): AsyncGenerator<DprExample, void, undefined> {
  for await (const { value, index, line } of readJsonArray(path)) {
    const fail = (problem: string): SyntaxError =>
      new SyntaxError(
        `Cannot parse DPR example ${index} at line ${line} of "${path}": ${problem}`,
      );
    if (!isObject(value)) throw fail("expected a JSON object");
    const question = value["question"];
    if (typeof question !== "string") throw fail(`expected a string "question"`);
    const answers = value["answers"] ?? [];
    if (!Array.isArray(answers) || !answers.every((a) => typeof a === "string")) {
      throw fail(`expected "answers" to be an array of strings`);
    }
    const contexts = (field: string, required: boolean): DprContext[] => {
      const list = value[field];
      if (list === undefined && !required) return [];
      if (!Array.isArray(list)) throw fail(`expected "${field}" to be an array`);
      return list.map((ctx, i) => {
        const where = `"${field}"[${i}]`;
        if (!isObject(ctx)) throw fail(`expected ${where} to be an object`);
        const title = ctx["title"] ?? "";
        const text = ctx["text"];
        if (typeof title !== "string" || typeof text !== "string") {
          throw fail(`expected ${where} to have string "title" and "text"`);
        }
        const out: { title: string; text: string; passageId?: string; score?: number } = {
          title,
          text,
        };
        const id = ctx["passage_id"] ?? ctx["psg_id"];
        if (typeof id === "string" || typeof id === "number") out.passageId = String(id);
        const score = ctx["score"];
        if (typeof score === "number") out.score = score;
        else if (
          typeof score === "string" && score.trim() !== "" && Number.isFinite(Number(score))
        ) {
          out.score = Number(score);
        }
        return out;
      });
    };
    yield {
      index,
      question,
      answers,
      positives: contexts("positive_ctxs", true),
      negatives: contexts("negative_ctxs", false),
      hardNegatives: contexts("hard_negative_ctxs", false),
    };
  }
}

/**
 * Undo the CSV quoting Python's `csv` writer applies to a field (DPR wrote psgs_w100.tsv with it):
 * `"a ""b"" c"` becomes `a "b" c`; an unquoted field is returned as is.
 */
export function unquoteTsvField(field: string): string {
  if (field.length >= 2 && field.startsWith('"') && field.endsWith('"')) {
    return field.slice(1, -1).replaceAll('""', '"');
  }
  return field;
}

/** Options of {@linkcode readDprPassages}. */
export interface DprPassageOptions {
  /** Refuse repeated passage ids (default true; the id set of 21M passages needs ~1.3 GB). */
  readonly checkDuplicates?: boolean;
}

/**
 * Stream the passages of DPR's `psgs_w100.tsv` (21,015,324 Wikipedia passages of 100 words; gzip
 * accepted): header `id\ttext\ttitle`, then one passage per line with CSV-quoted text.
 */
export async function* readDprPassages(
  path: string,
  options: DprPassageOptions = {},
): AsyncGenerator<Document, void, undefined> {
  const ids = options.checkDuplicates === false ? undefined : new IdTracker("passages", path);
  for await (const { text, number } of readLines(path)) {
    if (number === 1) {
      if (text !== "id\ttext\ttitle") {
        throw lineError(
          "passages",
          path,
          1,
          `expected the header "id\\ttext\\ttitle", found "${text}"`,
        );
      }
      continue;
    }
    if (text === "") continue;
    const fields = text.split("\t");
    if (fields.length !== 3) {
      throw lineError(
        "passages",
        path,
        number,
        `expected 3 tab-separated fields, found ${fields.length}`,
      );
    }
    const [id, body, title] = fields as [string, string, string];
    if (id === "") throw lineError("passages", path, number, "expected a non-empty id");
    ids?.add(id, number);
    yield { id, title: unquoteTsvField(title), text: unquoteTsvField(body) };
  }
}
