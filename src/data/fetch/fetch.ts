/**
 * Fetching a registry dataset into the cache: download (or take local files given with `from`),
 * verify size and checksums, unpack into a staging folder, verify counts (synthetic entries are
 * generated instead and checked against their pinned sha256), write the completion marker, and
 * rename the folder into place, all under a per-id lock.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../../io/mod.ts";
import {
  cacheHome,
  type DatasetMarker,
  datasetPaths,
  datasetStatus,
  MARKER_NAME,
  type MarkerFile,
  type ObservedCount,
} from "../cache.ts";
import { acquireLock, type LockOptions } from "../cache_lock.ts";
import { assertDigests, ChecksumMismatchError, type Digests, hashFile } from "../checksum.ts";
import { dataFolder } from "../data_folder.ts";
import { recordContents } from "../dataset_contents.ts";
import { verifyCounts } from "./counts.ts";
import { generateSynthetic } from "./synthetic.ts";
import { downloadFile } from "./download.ts";
import type { FetchProgress } from "./events.ts";
import { findDataset, loadRegistry } from "../registry.ts";
import type { DatasetFile, DownloadEntry, Registry } from "../registry_types.ts";
import { unpackFile } from "../unpack/mod.ts";

/** Options of {@linkcode fetchDataset}. */
export interface FetchOptions {
  /** Cache root (default: `$EMBEDDISTILL_HOME` or `~/.cache/embeddistill`). */
  readonly home?: string;
  /** Registry to resolve the id in (default: the repository's `datasets.lock`). */
  readonly registry?: Registry;
  /**
   * Local copies of the dataset's files (offline use or licensed data). Each is matched to a pinned
   * file by its MD5; a single-file dataset, or a file of the same name, that does not match is a
   * `ChecksumMismatchError` raised before the cache is touched.
   */
  readonly from?: readonly string[];
  /** Never download: every file must come from `from`. */
  readonly offline?: boolean;
  /** Skip count verification (the marker records that counts were skipped). */
  readonly skipCounts?: boolean;
  /** Fetch again even when the dataset is present. */
  readonly force?: boolean;
  /** Progress receiver. */
  readonly onProgress?: FetchProgress;
  /** Give up a download when no byte arrives for this long (default 120 s). */
  readonly idleTimeoutMs?: number;
  /** Lock behaviour (waiting, staleness). */
  readonly lock?: Omit<LockOptions, "onWait">;
}

/** What {@linkcode fetchDataset} did. */
export interface FetchResult {
  /** `present`: already in the cache; `fetched`: downloaded or taken from local files now. */
  readonly kind: "present" | "fetched";
  /** The dataset directory. */
  readonly dir: string;
  /**
   * The folder inside `dir` that holds the corpus, which loaders and `distill --data` take (a
   * BEIR zip unpacks into `<dir>/<name>/`); see `dataFolder`.
   */
  readonly dataDir: string;
  /** Its completion marker. */
  readonly marker: DatasetMarker;
}

/** Match local files to pinned files, verifying each; throws before anything is written. */
async function matchLocalFiles(
  entry: DownloadEntry,
  paths: readonly string[],
): Promise<Map<DatasetFile, { path: string; digests: Digests }>> {
  const matched = new Map<DatasetFile, { path: string; digests: Digests }>();
  for (const path of paths) {
    const digests = await hashFile(path);
    const byMd5 = entry.files.find((f) => f.md5 === digests.md5);
    if (byMd5 !== undefined) {
      assertDigests(path, byMd5, digests);
      matched.set(byMd5, { path, digests });
      continue;
    }
    const byName = entry.files.length === 1
      ? entry.files[0]
      : entry.files.find((f) => f.name === basename(path));
    if (byName !== undefined) {
      assertDigests(path, byName, digests);
    }
    throw new RangeError(
      `Cannot use "${path}" for "${entry.id}": its md5 "${digests.md5}" matches none of ${
        entry.files.map((f) => `"${f.name}" (${f.md5})`).join(", ")
      }`,
    );
  }
  return matched;
}

/**
 * A download failure other than a checksum mismatch, with the way round it appended: download
 * the file by other means and pass it with `--from` (its class is kept, so callers still tell a
 * timeout from other failures).
 */
function withFromHint(error: unknown, id: string, file: DatasetFile): unknown {
  if (error instanceof ChecksumMismatchError || !(error instanceof Error)) return error;
  const hint = `; to fetch it without this connection, download ${file.url} by other means ` +
    `and run: deno task fetch ${id} --from PATH`;
  const ErrorClass = Object.values(Deno.errors).find((c) => error instanceof c) ?? Error;
  return new ErrorClass(`${error.message}${hint}`, { cause: error });
}

async function removeIfExists(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

/**
 * Make dataset `id` present in the cache and return where it is. Safe to run concurrently from
 * several processes: one fetches, the others wait and then find it present. A failure at any step
 * leaves no partial dataset visible (downloads already verified are kept for the next attempt).
 */
export async function fetchDataset(id: string, options: FetchOptions = {}): Promise<FetchResult> {
  const registry = options.registry ?? await loadRegistry();
  const entry = findDataset(registry, id);
  const emit = options.onProgress ?? (() => {});
  const local = entry.kind === "synthetic"
    ? new Map<DatasetFile, { path: string; digests: Digests }>()
    : await matchLocalFiles(entry, options.from ?? []);
  if (entry.kind === "download" && options.offline === true) {
    const missing = entry.files.filter((f) => !local.has(f));
    if (missing.length > 0) {
      throw new Deno.errors.NotFound(
        `Cannot fetch "${id}" offline: no local file given for ${
          missing.map((f) => `"${f.name}"`).join(", ")
        }`,
      );
    }
  }
  const home = cacheHome(options.home);
  const paths = datasetPaths(home, id);
  const before = await datasetStatus(home, entry);
  if (before.kind === "present" && options.force !== true) {
    emit({ kind: "present", id, dir: before.dir });
    return {
      kind: "present",
      dir: before.dir,
      dataDir: dataFolder(entry, before.dir),
      marker: before.marker,
    };
  }

  const lockOptions: LockOptions = {
    ...options.lock,
    onWait: (owner) => emit({ kind: "waiting-for-lock", id, holderPid: owner?.pid ?? null }),
  };
  const lock = await acquireLock(paths.lock, lockOptions);
  const stage = join(
    paths.staging,
    `${basename(paths.downloads)}-${Deno.pid}-${crypto.randomUUID()}`,
  );
  try {
    const now = await datasetStatus(home, entry);
    if (now.kind === "present" && (options.force !== true || before.kind !== "present")) {
      emit({ kind: "present", id, dir: now.dir });
      return {
        kind: "present",
        dir: now.dir,
        dataDir: dataFolder(entry, now.dir),
        marker: now.marker,
      };
    }
    let files: MarkerFile[];
    let counts: readonly ObservedCount[] = [];
    // Synthetic data has no pinned counts: its pinned sha256 covers every file.
    let skipCounts = false;
    if (entry.kind === "synthetic") {
      files = await generateSynthetic(entry, stage);
    } else {
      await Deno.mkdir(paths.downloads, { recursive: true });
      await Deno.mkdir(stage, { recursive: true });
      // Download and verify everything first, so a network failure wastes no unpacking.
      const sources: { file: DatasetFile; path: string; digests: Digests }[] = [];
      for (const file of entry.files) {
        const given = local.get(file);
        if (given !== undefined) {
          emit({ kind: "verified", file: file.name, md5: given.digests.md5 });
          sources.push({ file, ...given });
          continue;
        }
        const path = join(paths.downloads, file.name);
        let digests: Digests;
        try {
          digests = await downloadFile(file, path, {
            onProgress: emit,
            ...(options.idleTimeoutMs === undefined
              ? {}
              : { idleTimeoutMs: options.idleTimeoutMs }),
          });
        } catch (error) {
          throw withFromHint(error, id, file);
        }
        sources.push({ file, path, digests });
      }
      files = [];
      for (const { file, path, digests } of sources) {
        files.push({
          name: file.name,
          md5: digests.md5,
          sha256: digests.sha256,
          size: digests.size,
        });
        // Downloads stay in place until the dataset is installed, so a failed count check
        // does not cost a new download.
        await unpackFile(path, join(stage, ...file.into.split("/")), {
          kind: file.unpack,
          name: file.name,
          consume: false,
          onEntry: (name) => emit({ kind: "unpack", file: file.name, entry: name }),
        });
      }
      skipCounts = options.skipCounts === true;
      if (!skipCounts) counts = await verifyCounts(id, stage, entry.counts, emit);
    }
    const marker: DatasetMarker = {
      id,
      files,
      counts,
      countsSkipped: skipCounts,
      completedAt: new Date().toISOString(),
      contents: await recordContents(stage, [MARKER_NAME]),
    };
    await writeFileAtomic(join(stage, MARKER_NAME), JSON.stringify(marker, null, 2));
    if (!(await lock.stillHeld())) {
      throw new Error(`Cannot install "${id}": the lock "${paths.lock}" was taken over`);
    }
    await Deno.mkdir(dirname(paths.dir), { recursive: true });
    const trash = `${stage}.old`;
    let moved = false;
    try {
      await Deno.rename(paths.dir, trash);
      moved = true;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    await Deno.rename(stage, paths.dir);
    if (moved) await removeIfExists(trash);
    await removeIfExists(paths.downloads);
    emit({ kind: "done", id, dir: paths.dir });
    return { kind: "fetched", dir: paths.dir, dataDir: dataFolder(entry, paths.dir), marker };
  } finally {
    await removeIfExists(stage);
    await lock.release();
  }
}
