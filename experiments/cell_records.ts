/**
 * Finished cells as JSON records on disk: `results/runs/<run-key>/<cell-id>.json`, each written
 * atomically with its TREC run file beside it, so a killed run loses at most the cell in flight
 * and a rerun with the same key redoes exactly the unfinished cells.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { pathExists, writeFileAtomic } from "../src/io/mod.ts";
import type { LatencyInput, SizesInput } from "../src/store/mod.ts";
import { type CellRef, formatCellId, parseCellId } from "./cell_id.ts";

/**
 * Query latency by the EXPERIMENTS.md protocol (batch 1, 1 intra-op thread), milliseconds: the
 * store's LatencyInput (p50, p95, tokenizeP50 = tokenisation alone, queries, threads).
 */
export type LatencyRecord = LatencyInput;

/**
 * Sizes of a cell's model and index: the store's SizesInput (query-tower parameters with and
 * without the embedding table, their ratios to the teacher's query tower, model bytes, index bytes
 * at fp32 and fp16, peak resident set of the training process).
 */
export type SizeRecord = SizesInput;

/** A finished (or failed) cell. */
export interface CellRecord {
  readonly kind: "cell";
  readonly version: 1;
  readonly experiment: string;
  readonly preset: string;
  readonly runKey: string;
  readonly cell: CellRef;
  readonly status: "ok" | "failed";
  /** Why it failed (failed cells only). */
  readonly error: string | null;
  /** Hyper-parameters chosen on dev (e.g. the learning rate of the grid). */
  readonly chosen: Readonly<Record<string, number | string>>;
  /** Test measure -> value (canonical measure names). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Test measure -> query id -> value. */
  readonly perQuery: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly latency: LatencyRecord | null;
  readonly sizes: SizeRecord | null;
  /** Phase -> seconds (tokenise, train, export, encode, search, evaluate). */
  readonly timings: Readonly<Record<string, number>>;
  /** Curves: name -> [step, value] pairs (loss terms, dev measures). */
  readonly curves: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  /** The run file, relative to the record. */
  readonly runFile: string | null;
  /** Model hash, teacher hash, dataset checksum, config hash, engine state, seed. */
  readonly provenance: Readonly<Record<string, unknown>>;
  readonly finishedAt: string;
}

/** Where one run's records live. */
export function runDirectory(resultsRoot: string, runKey: string): string {
  return join(resultsRoot, "runs", runKey);
}

/** The record file of `cell` (its id as a path: `embeddistill/1-10/asymmetric/1.json`). */
export function cellRecordPath(runDir: string, cell: CellRef): string {
  return join(runDir, `${formatCellId(cell)}.json`);
}

/** Write `record` (and nothing else) atomically; its directory is created. */
export async function writeCellRecord(runDir: string, record: CellRecord): Promise<string> {
  const path = cellRecordPath(runDir, record.cell);
  await Deno.mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(record, null, 1) + "\n");
  return path;
}

/** The record of `cell`, or null when it has none (never finished). A corrupt record is an error. */
export async function readCellRecord(runDir: string, cell: CellRef): Promise<CellRecord | null> {
  const path = cellRecordPath(runDir, cell);
  if (!(await pathExists(path))) return null;
  const text = await Deno.readTextFile(path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SyntaxError(`Cannot read cell record "${path}": ${reason}`);
  }
  const record = value as Partial<CellRecord>;
  if (record.kind !== "cell" || record.version !== 1 || record.cell === undefined) {
    throw new SyntaxError(
      `Cannot read cell record "${path}": expected {"kind": "cell", "version": 1, ...}`,
    );
  }
  if (formatCellId(record.cell) !== formatCellId(cell)) {
    throw new SyntaxError(
      `Cannot read cell record "${path}": it holds cell "${formatCellId(record.cell)}"`,
    );
  }
  return record as CellRecord;
}

/** Every record of a run, in cell-id order. */
export async function readRunRecords(runDir: string): Promise<CellRecord[]> {
  const records: CellRecord[] = [];
  const walk = async (dir: string, prefix: string[]): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = [];
      for await (const e of Deno.readDir(dir)) entries.push(e);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory) await walk(join(dir, e.name), [...prefix, e.name]);
      else if (e.isFile && e.name.endsWith(".json") && !e.name.startsWith(".")) {
        const id = [...prefix, e.name.slice(0, -".json".length)].join("/");
        let cell: CellRef;
        try {
          cell = parseCellId(id);
        } catch {
          continue; // not a cell record (e.g. run.json)
        }
        const record = await readCellRecord(runDir, cell);
        if (record !== null) records.push(record);
      }
    }
  };
  await walk(runDir, []);
  return records;
}
