/**
 * The folder of an installed dataset that its loaders take: the one holding the corpus. A BEIR
 * zip unpacks into `<id>/scifact/corpus.jsonl`, so `--data` takes `<id>/scifact`, not `<id>`.
 *
 * @module
 */

import { dirname, join } from "node:path";
import type { DatasetEntry } from "./registry_types.ts";

/**
 * The folder under the dataset directory `dir` that holds the entry's corpus: the folder of its
 * `docs` count file (e.g. `scifact/corpus.jsonl` -> `<dir>/scifact`), `dir` itself for
 * synthetic data (`corpus.jsonl` at the top) or an entry that counts no documents.
 */
export function dataFolder(entry: DatasetEntry, dir: string): string {
  if (entry.kind === "synthetic") return dir;
  const docs = entry.counts.find((c) => c.what === "docs" && c.split === null) ??
    entry.counts.find((c) => c.what === "docs");
  if (docs === undefined) return dir;
  const folder = dirname(docs.file);
  return folder === "." ? dir : join(dir, ...folder.split("/"));
}
