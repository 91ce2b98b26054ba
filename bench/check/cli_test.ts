import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore, readBenchResults } from "../../src/store/mod.ts";
import { listRuns } from "../../src/store/mod.ts";
import { formatBaseline } from "./baseline.ts";
import { main } from "./cli.ts";

/** Run main with stdout captured (stderr passes through). */
async function run(args: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const write = Deno.stdout.write;
  Deno.stdout.write = (p: Uint8Array) => {
    chunks.push(new TextDecoder().decode(p));
    return Promise.resolve(p.length);
  };
  try {
    const code = await main(args);
    return { code, stdout: chunks.join("") };
  } finally {
    Deno.stdout.write = write;
  }
}

Deno.test("bench:check: a bench stored as a bench run; an impossible baseline is slower, confirmed, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bench-check-cli-" });
  try {
    const db = join(dir, "r.sqlite");
    const baseline = join(dir, "baseline.json");
    const first = await run([
      "--only",
      "store/write-cell",
      "--repeats",
      "2",
      "--db",
      db,
      "--baseline",
      baseline,
    ]);
    assert.equal(first.code, 0);
    assert.match(first.stdout, /store\/write-cell \| [0-9.]+ +\| - +\| - +\| [0-9.]+ +\| new/);
    // --update writes the baseline; a baseline 1000 x faster than anything measurable then fails.
    assert.equal(
      (await run([
        "--only",
        "store/write-cell",
        "--repeats",
        "2",
        "--db",
        db,
        "--baseline",
        baseline,
        "--update",
      ])).code,
      0,
    );
    const file = JSON.parse(await Deno.readTextFile(baseline));
    file.benches["store/write-cell"].ratio /= 1000;
    await Deno.writeTextFile(baseline, formatBaseline(file));
    const slow = await run([
      "--only",
      "store/write-cell",
      "--repeats",
      "2",
      "--db",
      db,
      "--baseline",
      baseline,
    ]);
    assert.equal(slow.code, 1);
    assert.match(slow.stdout, /\| slower +\| .*confirmed by the re-run \(first run /);
    const store = await openStore(db);
    try {
      const runs = await listRuns(store);
      assert.deepEqual(runs.map((r) => [r.kind, r.status]), [["bench", "ok"], ["bench", "ok"], [
        "bench",
        "ok",
      ]]);
      assert.equal(new Set(runs.map((r) => r.runKey)).size, 3);
      const rows = await readBenchResults(store, runs[2]!.id);
      assert.deepEqual(rows.map((r) => [r.bench, r.verdict]), [["store/write-cell", "slower"]]);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench:check: an unknown bench is a usage error (exit 2)", async () => {
  assert.equal((await run(["--only", "nope"])).code, 2);
});
