/**
 * `verifyDataset`: re-hash an installed dataset against what its fetch recorded — the archives
 * pinned by `datasets.lock` (by MD5, checked when it was fetched) and every file unpacked from
 * them (SHA-256 in the completion marker) — and report each file that differs.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../io/mod.ts";
import { datasetPaths, datasetStatus, MARKER_NAME, readMarker } from "./cache.ts";
import { checkContents, type ContentFile, type ContentProblem } from "./dataset_contents.ts";
import { findDataset } from "./registry.ts";
import type { Registry } from "./registry_types.ts";

/** What {@linkcode verifyDataset} found. */
export type VerifyResult =
  /** Every recorded file has its recorded SHA-256 and none was added. */
  | {
    readonly kind: "ok";
    readonly id: string;
    readonly dir: string;
    readonly files: number;
    /** Files whose time had changed with the same content (their time is re-recorded). */
    readonly retimed: number;
  }
  /** Files differ: edited, removed or added since the fetch. */
  | {
    readonly kind: "differs";
    readonly id: string;
    readonly dir: string;
    readonly problems: readonly ContentProblem[];
  }
  /** Nothing to verify: not fetched, incomplete, from another pin, or fetched before hashes. */
  | {
    readonly kind: "unverifiable";
    readonly id: string;
    readonly dir: string;
    readonly reason: string;
  };

/**
 * Re-hash dataset `id` in the cache at `home` against its completion marker, which holds the
 * SHA-256 of every file unpacked from the archives `datasets.lock` pins (for synthetic data, the
 * generated files whose listing hash the lock pins). When the content is unchanged but file
 * times differ (a copy without `-p`), the times are re-recorded so the cheap check of
 * `datasetStatus` passes again.
 */
export async function verifyDataset(
  id: string,
  home: string,
  registry: Registry,
): Promise<VerifyResult> {
  const entry = findDataset(registry, id);
  const paths = datasetPaths(home, id);
  const dir = paths.dir;
  const marker = await readMarker(paths.marker);
  if (marker === undefined) {
    const status = await datasetStatus(home, entry);
    const reason = status.kind === "absent"
      ? "it is not in the cache (fetch it first)"
      : "it has no completion marker (fetch it again)";
    return { kind: "unverifiable", id, dir, reason };
  }
  const status = await datasetStatus(home, entry);
  if (status.kind === "stale" && /registry|marker names/.test(status.reason)) {
    return {
      kind: "unverifiable",
      id,
      dir,
      reason: `${status.reason} (fetch it again with --force)`,
    };
  }
  let recorded: readonly ContentFile[] | undefined = marker.contents;
  if (recorded === undefined && entry.kind === "synthetic") {
    // Synthetic markers always listed the generated files with their SHA-256.
    recorded = marker.files.map((f) => ({
      path: f.name,
      size: f.size,
      mtimeMs: 0,
      sha256: f.sha256,
    }));
  }
  if (recorded === undefined) {
    return {
      kind: "unverifiable",
      id,
      dir,
      reason: "its marker predates content hashes (fetch it again with --force)",
    };
  }
  const problems = await checkContents(dir, recorded, "hash", [MARKER_NAME]);
  if (problems.length > 0) return { kind: "differs", id, dir, problems };
  const retimed = await checkContents(dir, recorded, "stat", [MARKER_NAME]);
  if (retimed.length > 0 || marker.contents === undefined) {
    const contents = await Promise.all(recorded.map(async (f) => ({
      ...f,
      mtimeMs: (await Deno.stat(join(dir, ...f.path.split("/")))).mtime?.getTime() ?? 0,
    })));
    await writeFileAtomic(paths.marker, JSON.stringify({ ...marker, contents }, null, 2));
  }
  return { kind: "ok", id, dir, files: recorded.length, retimed: retimed.length };
}
