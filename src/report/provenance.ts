/**
 * Where a report's numbers came from, as label/value pairs read from the stored run: commit, run
 * key, configuration hash, machine, backend, threads, BLAS, seeds, data and model hashes, and the
 * run's stored start and finish times (the only times a report shows).
 *
 * @module
 */

import { canonicalJson, sha256Text } from "../io/mod.ts";
import type { StoredRunInfo } from "../store/mod.ts";

/** One provenance line. */
export interface ProvenanceItem {
  readonly label: string;
  readonly value: string;
}

function machineText(machine: unknown): string {
  if (typeof machine !== "object" || machine === null) return String(machine);
  const m = machine as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof m["cpuModel"] === "string") parts.push(m["cpuModel"]);
  if (typeof m["cores"] === "number") parts.push(`${m["cores"]} cores`);
  if (typeof m["memoryBytes"] === "number" && m["memoryBytes"] > 0) {
    parts.push(`${(m["memoryBytes"] / 2 ** 30).toFixed(1)} GiB`);
  }
  if (typeof m["os"] === "string") {
    parts.push(`${m["os"]}${typeof m["arch"] === "string" ? `/${m["arch"]}` : ""}`);
  }
  if (typeof m["deno"] === "string") parts.push(`deno ${m["deno"]}`);
  return parts.length > 0 ? parts.join(", ") : canonicalJson(machine);
}

function hashes(record: Readonly<Record<string, string>>): string {
  const entries = Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? "none recorded" : entries.map(([k, v]) => `${k} ${v}`).join("; ");
}

/** The provenance of `run`. The config hash is `sha256:` of its canonical JSON, 16 digits. */
export function provenanceItems(run: StoredRunInfo): ProvenanceItem[] {
  return [
    { label: "run", value: `${run.id} (${run.kind}, ${run.status})` },
    { label: "run key", value: run.runKey },
    { label: "preset", value: run.preset },
    {
      label: "commit",
      value: run.commit === null
        ? "unknown"
        : `${run.commit}${run.dirty ? " (uncommitted changes)" : ""}`,
    },
    { label: "config hash", value: `sha256:${sha256Text(canonicalJson(run.config)).slice(0, 16)}` },
    { label: "machine", value: machineText(run.machine) },
    { label: "backend", value: run.backend },
    { label: "threads", value: String(run.threads) },
    { label: "BLAS", value: run.blas ?? "none" },
    { label: "seeds", value: run.seeds.length === 0 ? "none" : run.seeds.join(", ") },
    { label: "datasets", value: hashes(run.datasetChecksums) },
    { label: "models", value: hashes(run.modelHashes) },
    { label: "started", value: run.startedAt },
    { label: "finished", value: run.finishedAt ?? "not finished" },
  ];
}
