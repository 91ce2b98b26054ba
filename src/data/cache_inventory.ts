/**
 * What the dataset cache holds, for `deno task cache`: every installed dataset (a folder with a
 * completion marker) with its size, and the staging folders fetches leave under `datasets/.tmp/`
 * with the pid of the fetch that made them.
 *
 * @module
 */

import { join } from "node:path";
import { treeSize } from "../io/mod.ts";
import { type DatasetMarker, datasetPaths, MARKER_NAME, readMarker } from "./cache.ts";

/** One installed dataset. */
export interface InstalledDataset {
  /** Its id (its path under `datasets/`). */
  readonly id: string;
  readonly dir: string;
  readonly bytes: number;
  readonly marker: DatasetMarker;
}

/** A fetch's staging folder under `datasets/.tmp/`. */
export interface StagingFolder {
  readonly name: string;
  readonly dir: string;
  /** The fetch process that made it, or null when the name holds none. */
  readonly pid: number | null;
  readonly bytes: number;
}

/** `<flat id>-<pid>-<uuid>[.old]`, as fetch.ts names its staging folders. */
const STAGING_NAME = /-(\d+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.old)?$/;

async function children(dir: string): Promise<Deno.DirEntry[]> {
  try {
    return await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** The installed datasets under `home` (folders of `datasets/` holding a marker), sorted by id. */
export async function installedDatasets(home: string): Promise<InstalledDataset[]> {
  const root = datasetPaths(home, "x").root;
  const found: InstalledDataset[] = [];
  const visit = async (dir: string, id: string, depth: number): Promise<void> => {
    const marker = id === "" ? undefined : await readMarker(join(dir, MARKER_NAME));
    if (marker !== undefined) {
      found.push({ id, dir, bytes: (await treeSize(dir)).bytes, marker });
      return;
    }
    if (depth === 4) return;
    for (const entry of await children(dir)) {
      if (!entry.isDirectory || entry.name.startsWith(".")) continue;
      await visit(join(dir, entry.name), id === "" ? entry.name : `${id}/${entry.name}`, depth + 1);
    }
  };
  await visit(root, "", 0);
  return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The staging folders of fetches under `home` (running or interrupted ones). */
export async function stagingFolders(home: string): Promise<StagingFolder[]> {
  const staging = datasetPaths(home, "x").staging;
  const out: StagingFolder[] = [];
  for (const entry of await children(staging)) {
    const dir = join(staging, entry.name);
    const pid = STAGING_NAME.exec(entry.name)?.[1];
    let bytes = 0;
    try {
      bytes = entry.isDirectory ? (await treeSize(dir)).bytes : (await Deno.lstat(dir)).size;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    out.push({ name: entry.name, dir, pid: pid === undefined ? null : Number(pid), bytes });
  }
  return out;
}
