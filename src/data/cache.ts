/**
 * The dataset cache layout under `$EMBEDDISTILL_HOME` (default `~/.cache/embeddistill`):
 * `datasets/<id>/` holds an unpacked dataset plus its completion marker; `datasets/.downloads/`,
 * `.tmp/` and `.locks/` hold resumable downloads, unpack staging and fetch locks.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import { pathExists } from "../io/mod.ts";
import { checkContents, type ContentFile, describeProblem } from "./dataset_contents.ts";
import type { DatasetEntry } from "./registry_types.ts";

/**
 * The synthetic generator's dataset hash of the marker's files: sha256 of their `sha256sum`
 * listing (`<sha256>  <name>\n`, sorted by name), as src/data/synthetic/files.ts computes it.
 */
function listingHash(files: readonly MarkerFile[]): string {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return createHash("sha256").update(sorted.map((f) => `${f.sha256}  ${f.name}\n`).join(""))
    .digest("hex");
}

/** File name of the completion marker inside a dataset directory. */
export const MARKER_NAME = ".embeddistill-dataset.json";

/**
 * The cache root: `home` if given, else `$EMBEDDISTILL_HOME`, else `~/.cache/embeddistill`
 * (ARCHITECTURE.md, "Caches").
 */
export function cacheHome(home?: string): string {
  if (home !== undefined) return home;
  const configured = Deno.env.get("EMBEDDISTILL_HOME");
  if (configured !== undefined && configured !== "") return configured;
  return join(homedir(), ".cache", "embeddistill");
}

/** Paths of one dataset id in the cache. */
export interface DatasetPaths {
  /** `datasets/` under the home. */
  readonly root: string;
  /** Final directory, `datasets/<id>/`. */
  readonly dir: string;
  /** Completion marker inside `dir`. */
  readonly marker: string;
  /** Resumable downloads of this id. */
  readonly downloads: string;
  /** Staging area (same file system as `dir`, so rename is atomic). */
  readonly staging: string;
  /** Lock file serialising fetches of this id. */
  readonly lock: string;
}

/** The id with `/` replaced, usable as one path component. */
function flatId(id: string): string {
  return id.replaceAll("/", "__");
}

/** Where dataset `id` lives under cache root `home`. */
export function datasetPaths(home: string, id: string): DatasetPaths {
  const root = join(home, "datasets");
  const dir = join(root, ...id.split("/"));
  return {
    root,
    dir,
    marker: join(dir, MARKER_NAME),
    downloads: join(root, ".downloads", flatId(id)),
    staging: join(root, ".tmp"),
    lock: join(root, ".locks", `${flatId(id)}.lock`),
  };
}

/** One verified file as recorded in a completion marker. */
export interface MarkerFile {
  readonly name: string;
  readonly md5: string;
  readonly sha256: string;
  readonly size: number;
}

/** One count observed after unpacking. */
export interface ObservedCount {
  readonly what: string;
  readonly split: string | null;
  readonly file: string;
  readonly expected: number | null;
  readonly observed: number;
}

/** Content of the completion marker written last into a staged dataset before it is renamed in. */
export interface DatasetMarker {
  readonly id: string;
  readonly files: readonly MarkerFile[];
  readonly counts: readonly ObservedCount[];
  /** `true` when counts were not checked (`skipCounts`). */
  readonly countsSkipped: boolean;
  readonly completedAt: string;
  /**
   * Every unpacked file (size, time, SHA-256), so an edited or removed file makes the dataset
   * stale and `fetch --verify` can re-hash it. Absent in markers written before it was recorded.
   */
  readonly contents?: readonly ContentFile[];
}

/** Whether a dataset is usable from the cache. */
export type DatasetStatus =
  | { readonly kind: "present"; readonly dir: string; readonly marker: DatasetMarker }
  | { readonly kind: "absent"; readonly dir: string }
  | { readonly kind: "stale"; readonly dir: string; readonly reason: string };

/** The completion marker at `path`, or undefined when it is absent or not JSON. */
export async function readMarker(path: string): Promise<DatasetMarker | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as DatasetMarker;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * Status of `entry` in the cache at `home`. A dataset is present only when its marker exists and
 * names the same files (by MD5) as the registry entry, so a half-written directory or one from an
 * older lock is never taken as present, and every unpacked file the marker records still has its
 * size and modification time (an edited or removed file makes it stale; `verifyDataset`
 * re-hashes).
 */
export async function datasetStatus(home: string, entry: DatasetEntry): Promise<DatasetStatus> {
  const paths = datasetPaths(home, entry.id);
  const marker = await readMarker(paths.marker);
  if (marker === undefined) {
    return (await pathExists(paths.dir))
      ? { kind: "stale", dir: paths.dir, reason: "directory has no completion marker" }
      : { kind: "absent", dir: paths.dir };
  }
  if (marker.id !== entry.id) {
    return { kind: "stale", dir: paths.dir, reason: `marker names "${marker.id}"` };
  }
  const matches = entry.kind === "download"
    ? entry.files.map((f) => f.md5).sort().join(",") ===
      (marker.files ?? []).map((f) => f.md5).sort().join(",")
    : entry.sha256 === null || entry.sha256 === listingHash(marker.files ?? []);
  if (!matches) {
    return { kind: "stale", dir: paths.dir, reason: "files differ from the registry's" };
  }
  if (marker.contents !== undefined) {
    const problems = await checkContents(paths.dir, marker.contents, "stat");
    if (problems.length > 0) {
      const more = problems.length > 1 ? ` and ${problems.length - 1} more` : "";
      return {
        kind: "stale",
        dir: paths.dir,
        reason: `${describeProblem(problems[0]!).replace(/ +/, " ")}${more} since the fetch`,
      };
    }
  }
  return { kind: "present", dir: paths.dir, marker };
}
