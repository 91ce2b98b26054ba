/**
 * results/expected/<experiment>.<preset>.json (and bm25-scifact.json): the suite's accepted value
 * per cell and measure with its tolerance and the spread it was derived from, the paper's number
 * kept apart (only where experiments/paper.ts has one), and the tolerance rule in words. Parsed
 * strictly: every error names the file and the field.
 *
 * @module
 */

import type { PaperValue } from "../paper.ts";
import { printedUnits } from "./verdict.ts";

/** The paper's number beside an expected value (never a threshold). */
export type PaperNumber = Exclude<PaperValue, { readonly kind: "not-transcribed" }>;

/** One expected value. */
export interface ExpectedValue {
  /** Seed-free cell id `method/size/mode` (mean over the cell's seeds). */
  readonly cell: string;
  readonly measure: string;
  /** The suite's accepted number, at printed precision. */
  readonly expected: number;
  /** |actual - expected| allowed (0: exact at printed precision). */
  readonly tolerance: number;
  /** max - min over the measured runs (null: not measured, a deterministic value). */
  readonly spread: number | null;
  /** The paper's number for this cell and measure, when experiments/paper.ts has one. */
  readonly paper?: PaperNumber;
}

/** How the values were measured: the runs the spread and the expected values come from. */
export interface Measurement {
  /** The command that derived the file. */
  readonly command: string;
  /** Commit the derivation ran at (null: unknown). */
  readonly commit: string | null;
  /** ISO date of the derivation. */
  readonly date: string;
  /** One line per measured run: its threads, its commit (`+`: uncommitted changes), its folder. */
  readonly runs: readonly {
    readonly threads: number;
    readonly commit: string | null;
    readonly source: string;
  }[];
}

/** A file of expected values. */
export interface ExpectedFile {
  readonly kind: "regress-expected";
  readonly version: 1;
  readonly experiment: string;
  /** The preset (null: not a preset's run, e.g. BM25 on SciFact). */
  readonly preset: string | null;
  readonly toleranceRule: string;
  readonly measurement: Measurement | null;
  readonly values: readonly ExpectedValue[];
}

/** The rule every file states. */
export const TOLERANCE_RULE =
  "Deterministic values (BM25, evaluation) are exact at printed precision (4 decimals; tolerance " +
  "0). Trained cells: tolerance = 2 x the largest difference (max - min) seen over threads {1, 2} " +
  "x three fresh reruns, at least 0.005; expected = the midpoint of the measured range. Verdicts: " +
  "OK |delta| <= tol, BETTER above by more than tol, OK* below within 1.5 x tol, FAIL below by " +
  "more or missing.";

/** An expected file that cannot be used: the message names the file and the field. */
export class ExpectedFileError extends Error {
  override name = "ExpectedFileError";
}

/** What a file may name: the cells and measures of its experiment as run (null: anything). */
export interface ExpectedScope {
  readonly experiment: string;
  readonly preset: string | null;
  readonly cells: readonly string[] | null;
  readonly measures: readonly string[] | null;
}

type Json = Record<string, unknown>;

function object(value: unknown, path: string, field: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ExpectedFileError(`${path}: ${field} must be an object, found ${show(value)}`);
  }
  return value as Json;
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function field<T>(
  o: Json,
  key: string,
  path: string,
  where: string,
  ok: (v: unknown) => v is T,
  expected: string,
): T {
  const v = o[key];
  if (!ok(v)) {
    const what = v === undefined ? "missing" : `found ${show(v)}`;
    throw new ExpectedFileError(`${path}: ${where}${key}: ${what}, expected ${expected}`);
  }
  return v;
}

const isString = (v: unknown): v is string => typeof v === "string" && v !== "";
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isPrinted = (v: unknown): v is number =>
  isNumber(v) && v >= 0 && Math.abs(v * 1e4 - printedUnits(v)) < 1e-6;

function paperOf(value: unknown, path: string, where: string): PaperNumber | undefined {
  if (value === undefined) return undefined;
  const o = object(value, path, `${where}paper`);
  const kind = field(
    o,
    "kind",
    path,
    `${where}paper.`,
    (v): v is "transcribed" | "secondary" => v === "transcribed" || v === "secondary",
    `"transcribed" or "secondary"`,
  );
  const v = field(o, "value", path, `${where}paper.`, isNumber, "a number");
  const source = field(o, "source", path, `${where}paper.`, isString, "a text");
  if (kind === "transcribed") return { kind, value: v, source };
  const note = o["note"];
  return typeof note === "string" ? { kind, value: v, source, note } : { kind, value: v, source };
}

function valueOf(raw: unknown, i: number, path: string, scope: ExpectedScope): ExpectedValue {
  const where = `values[${i}].`;
  const o = object(raw, path, `values[${i}]`);
  const cell = field(o, "cell", path, where, isString, "a cell id method/size/mode");
  if (scope.cells !== null && !scope.cells.includes(cell)) {
    throw new ExpectedFileError(
      `${path}: ${where}cell: unknown cell "${cell}" of ${scope.experiment}, expected one of ${
        scope.cells.join(", ")
      }`,
    );
  }
  const measure = field(o, "measure", path, where, isString, "a measure name");
  if (scope.measures !== null && !scope.measures.includes(measure)) {
    throw new ExpectedFileError(
      `${path}: ${where}measure: unknown measure "${measure}" of ${scope.experiment}, expected one of ${
        scope.measures.join(", ")
      }`,
    );
  }
  const expected = field(o, "expected", path, where, isPrinted, "a number >= 0 with 4 decimals");
  const tolerance = field(o, "tolerance", path, where, isPrinted, "a number >= 0 with 4 decimals");
  const spread = field(
    o,
    "spread",
    path,
    where,
    (v): v is number | null => v === null || isNumber(v),
    "a number or null",
  );
  const paper = paperOf(o["paper"], path, where);
  const base = { cell, measure, expected, tolerance, spread };
  return paper === undefined ? base : { ...base, paper };
}

/** Parse and check the text of expected file `path` against `scope`. */
export function parseExpectedFile(text: string, path: string, scope: ExpectedScope): ExpectedFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ExpectedFileError(
      `${path}: not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const o = object(raw, path, "the file");
  field(o, "kind", path, "", (v): v is string => v === "regress-expected", `"regress-expected"`);
  field(o, "version", path, "", (v): v is 1 => v === 1, "1");
  field(
    o,
    "experiment",
    path,
    "",
    (v): v is string => v === scope.experiment,
    JSON.stringify(scope.experiment),
  );
  field(
    o,
    "preset",
    path,
    "",
    (v): v is string | null => v === scope.preset,
    JSON.stringify(scope.preset),
  );
  const toleranceRule = field(o, "toleranceRule", path, "", isString, "the rule in words");
  const measurement = o["measurement"] === null || o["measurement"] === undefined
    ? null
    : object(o["measurement"], path, "measurement") as unknown as Measurement;
  const list = field(o, "values", path, "", Array.isArray, "an array of expected values");
  const values = list.map((v, i) => valueOf(v, i, path, scope));
  const seen = new Set<string>();
  values.forEach((v, i) => {
    const key = `${v.cell} ${v.measure}`;
    if (seen.has(key)) {
      throw new ExpectedFileError(`${path}: values[${i}]: ${v.cell} ${v.measure} is listed twice`);
    }
    seen.add(key);
  });
  return {
    kind: "regress-expected",
    version: 1,
    experiment: scope.experiment,
    preset: scope.preset,
    toleranceRule,
    measurement,
    values,
  };
}

/** The file's text: stable key order, one value per line group, a final newline. */
export function renderExpectedFile(file: ExpectedFile): string {
  return JSON.stringify(file, null, 2) + "\n";
}

/** The file name of an experiment's preset (`table2.tiny.json`; `bm25-scifact.json`). */
export function expectedFileName(experiment: string, preset: string | null): string {
  return preset === null ? `${experiment}.json` : `${experiment}.${preset}.json`;
}
