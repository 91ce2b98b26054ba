/**
 * A command's run record (`OUT/<command>_run.json`): the arguments and every resolved setting,
 * written atomically when the run starts (so a killed run can be resumed and compared) and again
 * when it ends; on `--resume`, the settings now are compared with the recorded ones and any
 * difference is a usage error naming what changed.
 *
 * @module
 */

import { writeFileAtomic } from "../io/mod.ts";
import { UsageError } from "./usage_error.ts";

/** Where a run stands. */
export type RunStatus = "running" | "finished" | "failed";

/** The fields every run record has; commands add their own (engine, summary, ...). */
export interface RunRecord {
  readonly command: string;
  readonly status: RunStatus;
  readonly args: readonly string[];
  /** Every setting that determines the run's result, defaults resolved: plain JSON data. */
  readonly settings: unknown;
  readonly [field: string]: unknown;
}

/** Read a run record, or undefined when the file does not exist. */
export async function readRunRecord(path: string): Promise<RunRecord | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`Cannot parse the run record "${path}": ${String(error)}`);
  }
  if (value === null || typeof value !== "object" || !("settings" in value)) {
    throw new SyntaxError(`Cannot read the run record "${path}": expected an object with settings`);
  }
  return value as RunRecord;
}

/** Write `record` to `path` atomically (pretty JSON, one trailing newline). */
export async function writeRunRecord(path: string, record: RunRecord): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(record, null, 2) + "\n");
}

function show(value: unknown): string {
  return value === undefined ? "(absent)" : JSON.stringify(value);
}

/**
 * The differences between two JSON values, one `path: before -> after` line per changed leaf
 * (`training.schedule.peak: 0.0005 -> 0.001`); arrays of different lengths are one line. Values
 * are compared as JSON (undefined fields are absent).
 */
export function settingsChanges(before: unknown, after: unknown, path = ""): string[] {
  const a: unknown = before === undefined ? undefined : JSON.parse(JSON.stringify(before));
  const b: unknown = after === undefined ? undefined : JSON.parse(JSON.stringify(after));
  return changes(a, b, path);
}

function changes(a: unknown, b: unknown, path: string): string[] {
  const here = path === "" ? "(settings)" : path;
  const isObject = (x: unknown): x is Record<string, unknown> =>
    x !== null && typeof x === "object" && !Array.isArray(x);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${here}: ${show(a)} -> ${show(b)}`];
    return a.flatMap((x, i) => changes(x, b[i], `${path}[${i}]`));
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => changes(a[k], b[k], path === "" ? k : `${path}.${k}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${here}: ${show(a)} -> ${show(b)}`];
}

/** What {@link checkResumeSettings} found. */
export type ResumeCheck =
  | { readonly kind: "same"; readonly record: RunRecord }
  | { readonly kind: "no-record" };

/**
 * Compare `settings` with those of the run record at `path` before resuming: a
 * {@link UsageError} lists what changed (at most 8 lines); no record is `no-record`.
 */
export async function checkResumeSettings(path: string, settings: unknown): Promise<ResumeCheck> {
  const record = await readRunRecord(path);
  if (record === undefined) return { kind: "no-record" };
  const changed = settingsChanges(record.settings, settings);
  if (changed.length === 0) return { kind: "same", record };
  const shown = changed.slice(0, 8).join("; ");
  const more = changed.length > 8 ? `; and ${changed.length - 8} more` : "";
  throw new UsageError(
    `cannot --resume: the settings differ from those recorded in "${path}" when the run started (${shown}${more}); resume with the recorded settings, or pass --overwrite to start again`,
  );
}
