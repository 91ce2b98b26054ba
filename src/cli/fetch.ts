// deno-lint-ignore-file no-console
/**
 * CLI: download, verify and unpack a dataset of `datasets.lock` into the cache, take it from local
 * files (`--from`), or list what is known and what is present.
 *
 * Usage: `deno task fetch <id> [--from PATH ...] [--home DIR]` | `deno task fetch --list` |
 * `deno task fetch --verify <id>`
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  cacheHome,
  DatasetNotFoundError,
  datasetStatus,
  DEFAULT_LOCK_PATH,
  describeProblem,
  downloadSize,
  fetchDataset,
  type FetchEvent,
  loadRegistry,
  type Registry,
  verifyDataset,
} from "../data/mod.ts";
import { ProgressBar, type ProgressSink, stderrSink } from "./progress.ts";
import { formatBytes } from "./format_bytes.ts";
import { parseArgsUsageError } from "./parse_args_error.ts";
import { UsageError } from "./usage_error.ts";

const USAGE = `Usage: deno task fetch <id> [options]
       deno task fetch --list [--home DIR]
       deno task fetch --verify <id> [--home DIR]

Download a dataset pinned in datasets.lock, verify its size and MD5, unpack it and check its
document/query/qrels counts, into $EMBEDDISTILL_HOME/datasets/<id>/ (default ~/.cache/embeddistill).
An interrupted download resumes where it stopped. Two fetches of one id may run at once.

Options:
      --list               list known datasets, their download size and whether they are present
                           (stale: a file was edited or removed since the fetch, by size and time)
      --verify             re-hash the cached dataset <id>: every unpacked file against the SHA-256
                           its fetch recorded (from the archives datasets.lock pins); exit 1
                           listing the files that differ
      --from PATH          use a local copy of a file instead of downloading it (repeatable);
                           it is verified like a download and matched to the pinned file by MD5
      --offline            never download (every file must be given with --from)
      --home DIR           cache root (overrides $EMBEDDISTILL_HOME)
      --registry FILE      lock file to read (default: the repository's datasets.lock)
      --skip-counts        do not verify counts after unpacking
      --force              fetch again even if present
  -h, --help               show this help

Output: the folder holding the corpus on stdout (what distill --data and the loaders take, e.g.
.../datasets/beir/scifact/scifact); progress on stderr.
Exit status: 0 ok, 1 fetch failed (network, checksum or count mismatch), 2 usage error.`;

/** Where the CLI writes; tests substitute their own. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bar) or not (plain lines). */
  readonly tty: boolean;
  /** Colour on the terminal (default false; off when `NO_COLOR` is set). */
  readonly color?: boolean;
}

export { formatBytes };

const stderr = stderrSink();
const defaultIo: CliIo = {
  stdout: (line) => console.log(line),
  stderr: stderr.write,
  tty: stderr.tty,
  color: stderr.color ?? false,
};

/** Renders fetch events: a redrawn bar on a TTY, a line per 10 % otherwise (see progress.ts). */
function progressRenderer(io: CliIo): (event: FetchEvent) => void {
  const sink: ProgressSink = { write: io.stderr, tty: io.tty, color: io.color ?? false };
  let bar: ProgressBar | undefined;
  const barFor = (file: string): ProgressBar =>
    bar ??= new ProgressBar(sink, { label: file, formatCount: formatBytes });
  return (event) => {
    switch (event.kind) {
      case "download-progress":
        barFor(event.file).update({ done: event.bytes, total: event.total });
        return;
      case "download-start":
        bar = undefined;
        io.stderr(
          event.resumeFrom > 0
            ? `resuming ${event.url} at ${formatBytes(event.resumeFrom)}\n`
            : `downloading ${event.url} (${formatBytes(event.total)})\n`,
        );
        return;
      case "download-done":
        bar?.finish();
        bar = undefined;
        return;
      case "download-restart":
        bar?.finish();
        bar = undefined;
        io.stderr(`restarting ${event.file}: ${event.reason}\n`);
        return;
      case "verified":
        io.stderr(`verified ${event.file} (md5 ${event.md5})\n`);
        return;
      case "unpack":
        return;
      case "count": {
        const scope = event.split === null ? event.what : `${event.split} ${event.what}`;
        const check = event.expected === null ? "(no published count)" : "ok";
        io.stderr(`counted ${scope} in ${event.file}: ${event.observed} ${check}\n`);
        return;
      }
      case "waiting-for-lock":
        io.stderr(
          `waiting for another fetch of ${event.id}${
            event.holderPid === null ? "" : ` (pid ${event.holderPid})`
          }\n`,
        );
        return;
      case "present":
        io.stderr(`${event.id} is already present\n`);
        return;
      case "done":
        io.stderr(`${event.id} installed\n`);
        return;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  };
}

async function list(registry: Registry, home: string, io: CliIo): Promise<void> {
  const rows = [["id", "kind", "download", "status"]];
  for (const entry of registry.datasets) {
    const found = await datasetStatus(home, entry);
    const status = found.kind === "stale" ? `stale (${found.reason})` : found.kind;
    const size = entry.kind === "download" ? formatBytes(downloadSize(entry)) : "generated";
    rows.push([entry.id, entry.kind, size, status]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) {
    io.stdout(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
  }
}

/** The options of the fetch CLI (parseArgs table). */
const OPTIONS = {
  list: { type: "boolean" },
  verify: { type: "boolean" },
  from: { type: "string", multiple: true },
  offline: { type: "boolean" },
  home: { type: "string" },
  registry: { type: "string" },
  "skip-counts": { type: "boolean" },
  force: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** `fetch --verify <id>`: 0 when every file matches, 1 listing the files that differ. */
async function verify(id: string, registry: Registry, home: string, io: CliIo): Promise<number> {
  const result = await verifyDataset(id, home, registry);
  switch (result.kind) {
    case "ok":
      io.stderr(
        `${id}: all ${result.files} files match the hashes recorded when it was fetched` +
          (result.retimed > 0 ? ` (${result.retimed} file times re-recorded)` : "") + "\n",
      );
      io.stdout(result.dir);
      return 0;
    case "differs":
      for (const problem of result.problems) io.stdout(describeProblem(problem));
      io.stderr(
        `fetch: ${id} differs from what was fetched in ${result.problems.length} file(s); ` +
          `fetch it again with: deno task fetch ${id} --force\n`,
      );
      return 1;
    case "unverifiable":
      io.stderr(`fetch: Cannot verify "${id}": ${result.reason}\n`);
      return 1;
  }
}

/**
 * Run the fetch CLI with `args`; returns the exit status (0 ok, 1 failure, 2 usage error).
 */
export async function main(args: string[], io: CliIo = defaultIo): Promise<number> {
  let values;
  let positionals: string[];
  try {
    try {
      ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS }));
    } catch (error) {
      throw parseArgsUsageError(error, OPTIONS);
    }
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    if (values.list === true && positionals.length > 0) {
      throw new UsageError("--list takes no dataset id");
    }
    if (values.list === true && values.verify === true) {
      throw new UsageError("--list and --verify cannot be combined");
    }
    if (values.list !== true && positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? "missing dataset id"
          : `expected one dataset id, found ${positionals.length}`,
      );
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`fetch: ${message}\n${USAGE.split("\n")[0]}\n`);
    return 2;
  }

  try {
    const registry = await loadRegistry(values.registry ?? DEFAULT_LOCK_PATH);
    const home = cacheHome(values.home);
    if (values.list === true) {
      await list(registry, home, io);
      return 0;
    }
    if (values.verify === true) return await verify(positionals[0]!, registry, home, io);
    const result = await fetchDataset(positionals[0]!, {
      home,
      registry,
      from: values.from ?? [],
      offline: values.offline === true,
      skipCounts: values["skip-counts"] === true,
      force: values.force === true,
      onProgress: progressRenderer(io),
    });
    io.stdout(result.dataDir);
    return 0;
  } catch (error) {
    io.stderr(`fetch: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof DatasetNotFoundError ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
