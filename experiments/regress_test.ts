import assert from "node:assert/strict";
import { join } from "node:path";
import { beginRun, finishRun, openStore, readRegressChecks, writeCell } from "../src/store/mod.ts";
import { REPO_ROOT, runTask, sampleCell, sampleRun, sharedPath } from "../src/testing/mod.ts";
import type { Pipeline } from "./cell_run.ts";
import { type ExpectedFile, renderExpectedFile, TOLERANCE_RULE } from "./regress/mod.ts";
import { main } from "./regress.ts";

async function withDirs(fn: (results: string, expected: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-regress-" });
  const expected = join(root, "expected");
  await Deno.mkdir(expected);
  try {
    await fn(join(root, "results"), expected);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function expectedFile(
  experiment: string,
  preset: string | null,
  values: ExpectedFile["values"],
): string {
  return renderExpectedFile({
    kind: "regress-expected",
    version: 1,
    experiment,
    preset,
    toleranceRule: TOLERANCE_RULE,
    measurement: null,
    values,
  });
}

Deno.test("regress CLI: an unknown check or a missing expected file is a usage error (exit 2) naming it", async () => {
  await withDirs(async (results, expected) => {
    const unknown = await runTask("regress", ["table9", "--expected", expected]);
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /Unknown check "table9": expected one of table2, .*bm25-scifact/);
    const missing = await runTask("regress", [
      "table2",
      "--results",
      results,
      "--expected",
      expected,
    ]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.ok(
      missing.stderr.includes(`${join(expected, "table2.tiny.json")} does not exist`),
      missing.stderr,
    );
    const update = await runTask("regress", ["table2", "--update"]);
    assert.equal(update.code, 2);
    assert.match(update.stderr, /--update needs --why TEXT/);
  });
});

const scifact = sharedPath("scifact/beir");

Deno.test({
  name:
    "regress CLI: bm25-scifact OK at the trec_eval oracle's values (exit 0), FAIL below (exit 1), stored; --update rewrites and logs",
  ignore: scifact === undefined,
  fn: async () => {
    await withDirs(async (results, expected) => {
      const file = join(expected, "bm25-scifact.json");
      const db = join(results, "r.sqlite");
      const args = ["bm25-scifact", "--results", results, "--db", db, "--expected", expected];
      // metric-oracle/SOURCE.md: trec_eval on the oracle run gives ndcg_cut_10 0.6605, map 0.6249.
      const oracle = [
        { cell: "bm25/full/-", measure: "nDCG@10", expected: 0.6605, tolerance: 0, spread: null },
        { cell: "bm25/full/-", measure: "AP", expected: 0.6249, tolerance: 0, spread: null },
      ];
      await Deno.writeTextFile(file, expectedFile("bm25-scifact", null, oracle));
      const ok = await runTask("regress", args);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(
        ok.stdout,
        /^OK +bm25-scifact bm25\/full\/- nDCG@10 +expected 0\.6605 actual {2}0\.6605 delta \+0\.0000 tol 0\.0000$/m,
      );
      assert.match(ok.stdout, /^regress: 2 values: 2 OK, 0 BETTER, 0 OK\*, 0 FAIL$/m);

      const raised = [{ ...oracle[0]!, expected: 0.67, tolerance: 0.005 }, oracle[1]!];
      await Deno.writeTextFile(file, expectedFile("bm25-scifact", null, raised));
      const fail = await runTask("regress", args);
      assert.equal(fail.code, 1, fail.stderr);
      assert.match(
        fail.stdout,
        /^FAIL +bm25-scifact bm25\/full\/- nDCG@10 .* delta -0\.0095 tol 0\.0050$/m,
      );
      assert.match(fail.stdout, /^regress: 2 values: 1 OK, 0 BETTER, 0 OK\*, 1 FAIL$/m);

      const store = await openStore(db);
      try {
        const rows = await readRegressChecks(store);
        assert.deepEqual(rows.map((r) => [r.runId, r.measure, r.verdict]), [
          [1, "AP", "OK"],
          [1, "nDCG@10", "OK"],
          [2, "AP", "OK"],
          [2, "nDCG@10", "FAIL"],
        ]);
      } finally {
        await store.close();
      }

      const update = await runTask("regress", [...args, "--update", "--why", "oracle recheck"]);
      assert.equal(update.code, 0, update.stderr);
      const rewritten = JSON.parse(await Deno.readTextFile(file));
      assert.deepEqual(
        rewritten.values.map((
          v: { expected: number; tolerance: number },
        ) => [v.expected, v.tolerance]),
        [[0.6605, 0.005], [0.6249, 0]],
      );
      const changelog = await Deno.readTextFile(join(expected, "CHANGELOG.md"));
      assert.match(changelog, /^# Changes to the expected values/);
      assert.match(changelog, /Why: oracle recheck/);
      assert.match(
        changelog,
        /^- `bm25-scifact bm25\/full\/- nDCG@10`: 0\.6700 -> 0\.6605 \(-0\.0095\)$/m,
      );
      const again = await runTask("regress", [...args, "--update", "--why", "nothing moved"]);
      assert.equal(again.code, 0, again.stderr);
      const twice = await Deno.readTextFile(join(expected, "CHANGELOG.md"));
      assert.ok(twice.startsWith(changelog.trimEnd()), "the first entry is kept");
      // The files --update writes stay as `deno fmt` wants them (CI checks formatting).
      const changelogPath = join(expected, "CHANGELOG.md");
      const fmt = await new Deno.Command(Deno.execPath(), {
        args: ["fmt", "--check", "--config", join(REPO_ROOT, "deno.json"), file, changelogPath],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(fmt.success, new TextDecoder().decode(fmt.stderr));
      assert.match(twice, /Why: nothing moved\n\nFiles: bm25-scifact\.json\n\nNothing moved/);

      // The report of the stored regress runs: expected vs actual over the 4 runs.
      const out = join(results, "reports");
      const report = await runTask("report", [
        "regress",
        "--db",
        db,
        "--out",
        out,
        "--format",
        "md",
      ]);
      assert.equal(report.code, 0, report.stderr);
      assert.match(
        report.stdout,
        /\| bm25-scifact \| bm25\/full\/- \| nDCG@10 \| 0\.6605 \| 0\.0050 \| 0\.6605 OK \| 0\.6605 FAIL \|/,
      );
      assert.match(await Deno.readTextFile(join(out, "regress.delta.svg")), /^<svg/);
    });
  },
});

/** Every model scores `0.4 + 0.01` on every measure: a pipeline for the CLI's experiment path. */
function flatPipeline(): Pipeline {
  const evaluation = {
    metrics: { "RR@10": 0.41, "nDCG@10": 0.42, "R@1000": 0.9 },
    perQuery: {},
    latency: null,
    indexBytesFp32: 0,
    indexBytesFp16: 0,
    timings: {},
  };
  return {
    teacher: () =>
      Promise.resolve({
        dir: "/teacher",
        hash: "t",
        parameters: { withEmbeddings: 1000, withoutEmbeddings: 500 },
        provenance: {},
        timings: {},
        peakRss: 0,
      }),
    student: (r) =>
      Promise.resolve({
        dir: r.outputDir,
        hash: "s",
        parameters: { withEmbeddings: 100, withoutEmbeddings: 50 },
        dev: 0,
        curves: {},
        provenance: {},
        timings: {},
        peakRss: 0,
        modelBytes: 0,
      }),
    bm25: () =>
      Promise.resolve({ ...evaluation, metrics: { ...evaluation.metrics, "RR@10": 0.2 } }),
    crossEncoder: (id) => Promise.reject(new Error(`table2 has no cross-encoder ${id}`)),
    rerank: () => Promise.reject(new Error("table2 re-ranks nothing")),
    evaluate: () => Promise.resolve(evaluation),
  };
}

Deno.test("regress main: an experiment is checked on reproduce's runner, whose finished cells a rerun reuses", async () => {
  await withDirs(async (results, expected) => {
    await Deno.writeTextFile(
      join(expected, "table2.tiny.json"),
      expectedFile("table2", "tiny", [
        { cell: "teacher/full/-", measure: "RR@10", expected: 0.41, tolerance: 0.005, spread: 0 },
        { cell: "bm25/full/-", measure: "RR@10", expected: 0.2, tolerance: 0, spread: 0 },
        {
          cell: "labels/1-10/asymmetric",
          measure: "nDCG@10",
          expected: 0.4265,
          tolerance: 0.005,
          spread: 0,
        },
        {
          cell: "embeddistill/2-3/asymmetric",
          measure: "R@1000",
          expected: 0.85,
          tolerance: 0.005,
          spread: 0,
        },
      ]),
    );
    const run = async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(
        ["table2", "--results", results, "--expected", expected],
        () => Promise.resolve(flatPipeline()),
        { out: (t) => Promise.resolve(void out.push(t)), err: (l) => void err.push(l) },
      );
      return { code, out: out.join(""), err: err.join("\n") };
    };
    const first = await run();
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /^OK +table2 teacher\/full\/- RR@10 /m);
    assert.match(
      first.out,
      /^OK\* +table2 labels\/1-10\/asymmetric nDCG@10 .* delta -0\.0065 tol 0\.0050$/m,
    );
    assert.match(
      first.out,
      /^BETTER +table2 embeddistill\/2-3\/asymmetric R@1000 .* delta \+0\.0500/m,
    );
    assert.match(first.out, /^regress: 4 values: 2 OK, 1 BETTER, 1 OK\*, 0 FAIL$/m);
    assert.match(first.err, /table2: 20 cells \(0 reused\)/);
    const second = await run();
    assert.equal(second.code, 0, second.err);
    assert.match(second.err, /table2: 20 cells \(20 reused\)/);
    const store = await openStore(join(results, "results.sqlite"));
    try {
      const rows = await readRegressChecks(store);
      assert.equal(new Set(rows.map((r) => r.runId)).size, 2, "one regress run per invocation");
    } finally {
      await store.close();
    }
  });
});

Deno.test("regress --derive: expected values, spreads and tolerances from measured runs' stores", async () => {
  await withDirs(async (results, expected) => {
    const runs = [[1, 0.0], [2, 0.004]] as const;
    const dirs: string[] = [];
    for (const [threads, shift] of runs) {
      const dir = join(results, `t${threads}`);
      await Deno.mkdir(dir, { recursive: true });
      const store = await openStore(join(dir, "results.sqlite"));
      try {
        const id = await beginRun(store, sampleRun(`k${threads}`, { threads }));
        const cell = sampleCell("labels", 1, 10);
        await writeCell(store, id, {
          ...cell,
          metrics: { "RR@10": 0.25 + shift, "nDCG@10": 0.5 },
        });
        await finishRun(store, id, "ok");
      } finally {
        await store.close();
      }
      dirs.push(dir);
    }
    const out: string[] = [];
    const code = await main(
      ["--derive", ...dirs, "--expected", expected],
      () => Promise.reject(new Error("derive trains nothing")),
      { out: (t) => Promise.resolve(void out.push(t)), err: () => {} },
    );
    assert.equal(code, 0);
    assert.match(out.join(""), /table2\.tiny\.json: 2 values from 2 runs/);
    const file = JSON.parse(await Deno.readTextFile(join(expected, "table2.tiny.json")));
    assert.deepEqual(file.values, [
      {
        cell: "labels/1-10/asymmetric",
        measure: "RR@10",
        expected: 0.252,
        tolerance: 0.008,
        spread: 0.004,
      },
      {
        cell: "labels/1-10/asymmetric",
        measure: "nDCG@10",
        expected: 0.5,
        tolerance: 0.005,
        spread: 0,
      },
    ]);
    assert.deepEqual(file.measurement.runs.map((r: { threads: number }) => r.threads), [1, 2]);
    assert.equal(file.toleranceRule, TOLERANCE_RULE);
  });
});
