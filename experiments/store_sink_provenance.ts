/**
 * What a stored run records about where its numbers came from, beyond its configuration: the code
 * version (git commit and dirty flag), the machine, and the paper's values for its experiment.
 *
 * @module
 */

import { totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { describeMachine, type MachineInfo } from "../src/engine/mod.ts";
import { formatCellId } from "./cell_id.ts";
import type { CellRecord } from "./cell_records.ts";
import { PAPER_CELLS, type PaperCell } from "./paper.ts";

/** The repository this file belongs to. */
const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The commit the code ran at and whether the working tree had uncommitted changes. */
export interface CodeVersion {
  readonly commit: string;
  readonly dirty: boolean;
}

/** Whether `permission` is granted, without prompting (a prompt would stall an unattended run). */
function granted(permission: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(permission).state === "granted";
  } catch {
    return false;
  }
}

async function git(args: readonly string[], cwd: string): Promise<string | null> {
  if (!granted({ name: "run", command: "git" })) return null;
  try {
    const out = await new Deno.Command("git", {
      args: [...args],
      cwd,
      stdout: "piped",
      stderr: "null",
      stdin: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : null;
  } catch {
    // No git on PATH, or no --allow-run: the version is unknown, not an error.
    return null;
  }
}

/**
 * `git rev-parse HEAD` and `git status --porcelain` in `repo` (default: this repository), or null
 * when git is missing, not permitted (`--allow-run=git`; never prompted for), or `repo` is not a
 * git checkout.
 */
export async function codeVersion(repo: string = REPO_ROOT): Promise<CodeVersion | null> {
  const head = await git(["rev-parse", "HEAD"], repo);
  if (head === null || !/^[0-9a-f]{40,64}$/.test(head.trim())) return null;
  const status = await git(["status", "--porcelain"], repo);
  if (status === null) return null;
  return { commit: head.trim(), dirty: status.trim() !== "" };
}

/** The machine a run ran on: the engine's description plus total memory. */
export interface HostInfo extends MachineInfo {
  /** Total physical memory in bytes (0 when not readable). */
  readonly memoryBytes: number;
}

/** Describe this machine: the engine's description and total memory (0 without --allow-sys). */
export function describeHost(): HostInfo {
  let memoryBytes = 0;
  try {
    if (granted({ name: "sys", kind: "systemMemoryInfo" })) memoryBytes = totalmem();
  } catch {
    // Not readable here: left unknown.
  }
  return { ...describeMachine(), memoryBytes };
}

/** The paper's values of `experiment` (its table id), as transcribed at the time of the run. */
export function paperValuesOf(experiment: string): readonly PaperCell[] {
  return PAPER_CELLS.filter((p) => p.table === experiment);
}

/** What a run's cells were computed from: dataset id -> checksum, cell id -> model hash. */
export interface RunHashes {
  readonly datasetChecksums: Readonly<Record<string, string>>;
  readonly modelHashes: Readonly<Record<string, string>>;
}

/**
 * The datasets and models of a run, from its cells' provenance: the checksum of `dataset` (the
 * split the cells were evaluated on), and each cell's model content hash under its cell id. A
 * zero-shot cell reads them from its source cell's provenance (the model it evaluated).
 */
export function runHashes(records: readonly CellRecord[], dataset: string): RunHashes {
  const datasetChecksums: Record<string, string> = {};
  const modelHashes: Record<string, string> = {};
  for (const record of records) {
    const own = record.provenance;
    const source = own["sourceProvenance"];
    const p = typeof source === "object" && source !== null
      ? source as Readonly<Record<string, unknown>>
      : own;
    const checksum = p["datasetChecksum"];
    if (typeof checksum === "string") datasetChecksums[dataset] ??= checksum;
    const model = p["modelHash"];
    if (typeof model === "string") modelHashes[formatCellId(record.cell)] = model;
  }
  return { datasetChecksums, modelHashes };
}

/** The dataset id of a resolved run configuration (`config.data.dataset`), or null. */
export function configDataset(config: unknown): string | null {
  const data = (config as { data?: { dataset?: unknown } } | null)?.data;
  return typeof data?.dataset === "string" ? data.dataset : null;
}
