// deno-lint-ignore-file no-console
/**
 * CLI: list what `$EMBEDDISTILL_HOME` holds (artefacts with kind, size, age and content key;
 * datasets, marked) and collect garbage in the artefact cache, never touching a dataset or an
 * entry a running process is writing.
 *
 * Usage: `deno task cache --list` | `deno task cache --gc [--older-than DURATION]`
 *
 * The task runs with `--allow-run`: telling a running writer from a dead one takes
 * `process.kill(pid, 0)`, which Deno allows only with it (`/proc/<pid>` needs `--allow-all`);
 * without it every writer would count as running and nothing would be collected.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  cacheHome,
  datasetStatus,
  DEFAULT_LOCK_PATH,
  installedDatasets,
  loadRegistry,
  processAlive,
  type Registry,
  stagingFolders,
} from "../data/mod.ts";
import { type ContentCacheEntry, listContentCache, removeCacheDir } from "../io/mod.ts";
import { formatAge, parseDuration } from "./duration.ts";
import { formatBytes } from "./format_bytes.ts";
import { parseArgsUsageError } from "./parse_args_error.ts";
import { UsageError } from "./usage_error.ts";

const USAGE = `Usage: deno task cache --list [--home DIR]
       deno task cache --gc [--older-than DURATION] [--home DIR]

The cache under $EMBEDDISTILL_HOME (default ~/.cache/embeddistill): artifacts/<content key>/
(teacher embeddings, cross-encoder targets, generated queries, ...) and datasets/<id>/.

Options:
      --list               list every artefact (kind, size, age, content key), every dataset
                           (marked "dataset", with its status) and the temporary folders of
                           running or interrupted writers
      --gc                 remove artefacts (all, or those older than --older-than) and the
                           temporary folders left by processes that are no longer running; each
                           is renamed aside, then deleted. Datasets are never removed, and
                           nothing a running process is writing is touched
      --older-than D       with --gc: only artefacts written at least D ago (90s, 30m, 12h, 7d, 2w)
      --home DIR           cache root (overrides $EMBEDDISTILL_HOME)
      --registry FILE      lock file for dataset status (default: the repository's datasets.lock)
  -h, --help               show this help

Output: --list prints a table; --gc prints one line per removed folder and the bytes freed.
Exit status: 0 ok, 1 failure, 2 usage error.`;

/** The options of the cache CLI (parseArgs table). */
const OPTIONS = {
  list: { type: "boolean" },
  gc: { type: "boolean" },
  "older-than": { type: "string" },
  home: { type: "string" },
  registry: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Where the CLI writes. */
interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

const defaultIo: CliIo = {
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
};

/**
 * The kind of an artefact, from its files: their names without extension, joined by `+`
 * (`teacher-embeddings`, `ce-targets`, `generator+queries`).
 */
export function artefactKind(entry: ContentCacheEntry): string {
  const stems = entry.files.filter((f) => !f.includes("/")).map((f) => f.replace(/\..*$/, ""));
  return stems.length === 0 ? "(empty)" : [...new Set(stems)].sort().join("+");
}

/** Who holds a temporary folder: `writing (pid 12)` when running, else `left by pid 12`. */
function holder(pid: number | null): { readonly alive: boolean; readonly text: string } {
  if (pid === null) return { alive: true, text: "unknown writer" };
  return processAlive(pid)
    ? { alive: true, text: `writing (pid ${pid})` }
    : { alive: false, text: `left by pid ${pid} (not running)` };
}

function table(rows: readonly (readonly string[])[], io: CliIo): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) {
    io.stdout(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
  }
}

async function list(home: string, registry: Registry, io: CliIo): Promise<void> {
  const now = Date.now();
  const rows: string[][] = [["what", "kind", "size", "age", "key"]];
  const artifacts = await listContentCache(join(home, "artifacts"));
  for (const entry of artifacts.entries) {
    rows.push([
      "artefact",
      artefactKind(entry),
      formatBytes(entry.bytes),
      formatAge(now - entry.mtimeMs),
      entry.key,
    ]);
  }
  for (const temp of artifacts.temporaries) {
    rows.push([
      "temporary",
      holder(temp.pid).text,
      formatBytes(temp.bytes),
      formatAge(now - temp.mtimeMs),
      temp.name,
    ]);
  }
  for (const dataset of await installedDatasets(home)) {
    const entry = registry.datasets.find((d) => d.id === dataset.id);
    const status = entry === undefined ? undefined : await datasetStatus(home, entry);
    const kind = status === undefined
      ? "not in datasets.lock"
      : status.kind === "stale"
      ? `stale (${status.reason})`
      : status.kind;
    const completed = Date.parse(dataset.marker.completedAt);
    rows.push([
      "dataset",
      kind,
      formatBytes(dataset.bytes),
      Number.isNaN(completed) ? "?" : formatAge(now - completed),
      dataset.id,
    ]);
  }
  for (const stage of await stagingFolders(home)) {
    rows.push(["staging", holder(stage.pid).text, formatBytes(stage.bytes), "", stage.name]);
  }
  table(rows, io);
}

async function gc(home: string, olderThanMs: number, io: CliIo): Promise<void> {
  const now = Date.now();
  const root = join(home, "artifacts");
  const artifacts = await listContentCache(root);
  let freed = 0;
  let removed = 0;
  let newer = 0;
  let inUse = 0;
  const remove = async (dirRoot: string, name: string, line: string, bytes: number) => {
    if (await removeCacheDir(dirRoot, name)) {
      io.stdout(line);
      freed += bytes;
      removed++;
    }
  };
  for (const entry of artifacts.entries) {
    if (now - entry.mtimeMs < olderThanMs) {
      newer++;
      continue;
    }
    await remove(
      root,
      entry.key,
      `removed artefact ${artefactKind(entry)} ${formatBytes(entry.bytes)} ${entry.key}`,
      entry.bytes,
    );
  }
  for (const temp of artifacts.temporaries) {
    if (holder(temp.pid).alive) {
      inUse++;
      continue;
    }
    await remove(
      root,
      temp.name,
      `removed temporary ${formatBytes(temp.bytes)} ${temp.name} (pid ${temp.pid} not running)`,
      temp.bytes,
    );
  }
  const stagingRoot = join(home, "datasets", ".tmp");
  for (const stage of await stagingFolders(home)) {
    if (holder(stage.pid).alive) {
      inUse++;
      continue;
    }
    await remove(
      stagingRoot,
      stage.name,
      `removed staging ${formatBytes(stage.bytes)} ${stage.name} (pid ${stage.pid} not running)`,
      stage.bytes,
    );
  }
  const kept = [
    ...(newer > 0 ? [`${newer} artefacts newer than --older-than`] : []),
    ...(inUse > 0 ? [`${inUse} folders in use by running processes`] : []),
  ];
  io.stderr(
    `cache: freed ${formatBytes(freed)} in ${removed} folders` +
      (kept.length > 0 ? `; kept ${kept.join(", ")}` : "") + "; datasets are never removed",
  );
}

/** Run the cache CLI with `args`; returns the exit status (0 ok, 1 failure, 2 usage error). */
export async function main(args: string[], io: CliIo = defaultIo): Promise<number> {
  let values;
  let olderThanMs = 0;
  try {
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS }));
    } catch (error) {
      throw parseArgsUsageError(error, OPTIONS);
    }
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    if (positionals.length > 0) {
      throw new UsageError(`expected no arguments, found "${positionals.join(" ")}"`);
    }
    if ((values.list === true) === (values.gc === true)) {
      throw new UsageError("give exactly one of --list and --gc");
    }
    if (values["older-than"] !== undefined) {
      if (values.gc !== true) throw new UsageError("--older-than goes with --gc");
      olderThanMs = parseDuration(values["older-than"], "--older-than");
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`cache: ${error.message}\n${USAGE.split("\n")[0]}`);
    return 2;
  }
  try {
    const home = cacheHome(values.home);
    if (values.list === true) {
      await list(home, await loadRegistry(values.registry ?? DEFAULT_LOCK_PATH), io);
    } else {
      await gc(home, olderThanMs, io);
    }
    return 0;
  } catch (error) {
    io.stderr(`cache: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
