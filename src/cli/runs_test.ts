import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sampleCell, sampleRun } from "../testing/mod.ts";
import { beginRun, exportRun, finishRun, openStore, writeCell } from "../store/mod.ts";
import { main, type RunsIo } from "./runs.ts";

const CLI = fileURLToPath(new URL("./runs.ts", import.meta.url));

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI as `deno task runs` runs it (same permissions), from `cwd`. */
async function cli(cwd: string, ...args: string[]): Promise<Outcome> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-check", "--allow-read", "--allow-write", "--allow-env", CLI, ...args],
    cwd,
    env: { INIT_CWD: cwd, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

function capture(): RunsIo & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return {
    out_,
    err_,
    out: (t) => {
      out_.push(t);
      return Promise.resolve();
    },
    err: (t) => err_.push(t),
  };
}

async function withStore(fn: (dir: string, runId: number) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-cli-runs-" });
  try {
    const store = await openStore(join(dir, "db", "results.sqlite"));
    const runId = await beginRun(
      store,
      sampleRun("table2-tiny-abc", { startedAt: "2026-12-02T21:00:00.000Z", dirty: true }),
    );
    await writeCell(store, runId, sampleCell("a", 1, 3));
    await writeCell(store, runId, sampleCell("b", 1, 0, { status: "failed", error: "x" }));
    await finishRun(store, runId, "failed");
    await beginRun(
      store,
      sampleRun("bench-1", { kind: "bench", experiment: "speed", commit: null }),
    );
    await store.close();
    await fn(dir, runId);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("runs CLI: lists runs (relative --db from the user's directory) as a table or JSON", async () => {
  await withStore(async (dir, runId) => {
    const listed = await cli(dir, "--db", "db/results.sqlite");
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split("\n");
    assert.match(
      lines[0]!,
      /^id +kind +experiment +preset +commit +date +status +cells ok\/failed$/,
    );
    assert.match(
      lines[1]!,
      new RegExp(
        `^${runId} +reproduce +table2 +tiny +0123456789\\+dirty +2026-12-02 21:00 +failed +1/1$`,
      ),
    );
    assert.match(
      lines[2]!,
      /^\d+ +bench +speed +tiny +- +\d{4}-\d\d-\d\d \d\d:\d\d +running +0\/0$/,
    );
    const json = await cli(dir, "--db", "db/results.sqlite", "--json");
    assert.equal(json.code, 0);
    const runs = JSON.parse(json.stdout);
    assert.equal(runs.length, 2);
    assert.equal(runs[0].runKey, "table2-tiny-abc");
    assert.equal(runs[0].cellsOk, 1);
    assert.equal(runs[0].cellsFailed, 1);
  });
});

Deno.test("runs CLI: export writes csv, jsonl, latex and per-query tsv to stdout, by run id or key", async () => {
  await withStore(async (dir, runId) => {
    const db = join(dir, "db", "results.sqlite");
    const store = await openStore(db);
    const expected = async (format: Parameters<typeof exportRun>[2]) => {
      let text = "";
      for await (const c of exportRun(store, runId, format)) text += c;
      return text;
    };
    try {
      for (
        const [flag, value, format] of [
          ["--format", "csv", "csv"],
          ["--format", "jsonl", "jsonl"],
          ["--format", "latex", "latex"],
          ["--per-query", "tsv", "per-query-tsv"],
        ] as const
      ) {
        const out = await cli(dir, "export", String(runId), "--db", db, flag, value);
        assert.equal(out.code, 0, out.stderr);
        assert.equal(out.stdout, await expected(format));
      }
    } finally {
      await store.close();
    }
    const byKey = await cli(dir, "export", "table2-tiny-abc", "--db", db, "--per-query", "tsv");
    assert.equal(byKey.stdout.split("\n")[0], "query_id\tsystem\tmeasure\tvalue");
    assert.equal(byKey.stdout.trimEnd().split("\n").length, 1 + 2 * 3);
  });
});

Deno.test("runs CLI: usage errors exit 2; unknown run, non-SQLite file exit 1 with a message, no stack trace", async () => {
  await withStore(async (dir) => {
    const db = join(dir, "db", "results.sqlite");
    for (
      const args of [
        ["--bogus"],
        ["export"],
        ["export", "1", "--db", db],
        ["export", "1", "--db", db, "--format", "xml"],
        ["export", "1", "--db", db, "--format", "csv", "--per-query", "tsv"],
        ["export", "1", "--db", db, "--per-query", "csv"],
        ["frobnicate"],
        ["--format", "csv"],
      ]
    ) {
      const io = capture();
      assert.equal(await main(args, io), 2, args.join(" "));
      assert.match(io.err_.join(""), /^runs: .*\nUsage: deno task runs/);
    }
    const help = capture();
    assert.equal(await main(["--help"], help), 0);
    assert.match(help.out_.join(""), /--per-query tsv/);

    const unknown = await cli(dir, "export", "999", "--db", db, "--format", "csv");
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Cannot export run "999" of ".*results\.sqlite": no such run/);
    const notes = join(dir, "notes.txt");
    await Deno.writeTextFile(notes, "not a database at all");
    const bad = await cli(dir, "--db", "notes.txt");
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr,
      `runs: Cannot open results store "${notes}": it is not an SQLite database (found 21 bytes starting with "not a database a")\n`,
    );
    assert.equal(await Deno.readTextFile(notes), "not a database at all");
    const missing = await cli(dir, "--db", "nothing-here.sqlite", "--json");
    assert.equal(missing.code, 0);
    assert.equal(missing.stdout, "[]\n");
    assert.match(missing.stderr, /no results store at ".*nothing-here\.sqlite"/);
    assert.equal(await Deno.stat(join(dir, "nothing-here.sqlite")).catch(() => null), null);
  });
});

Deno.test("runs export: a reader that stops reading (broken pipe) ends the export quietly with 0", async () => {
  await withStore(async (dir, runId) => {
    const err: string[] = [];
    let chunks = 0;
    const code = await main(
      ["export", String(runId), "--db", join(dir, "db", "results.sqlite"), "--format", "csv"],
      {
        out: () => {
          chunks++;
          return Promise.reject(new Deno.errors.BrokenPipe("Broken pipe (os error 32)"));
        },
        err: (t) => err.push(t),
      },
    );
    assert.equal(code, 0);
    assert.equal(chunks, 1);
    assert.deepEqual(err, []);
  });
});
