import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { sharedPath } from "../testing/mod.ts";

const CLI = fileURLToPath(new URL("./eval.ts", import.meta.url));
const oracle = sharedPath("metric-oracle");

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(...args: string[]): Promise<Outcome> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", CLI, ...args],
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

async function withFiles(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const QRELS = "q1 0 a 1\nq1 0 b 2\nq2 0 c 1\nq3 0 z 1\n";
const RUN = "q1 Q0 a 1 0.5 t\nq1 Q0 b 2 0.9 t\nq1 Q0 x 3 0.7 t\nq2 Q0 y 1 2 t\nq2 Q0 c 2 1 t\n";

Deno.test("CLI prints trec_eval-layout lines to stdout, per query and all, exit 0", async () => {
  await withFiles({ "q.txt": QRELS, "r.txt": RUN }, async (dir) => {
    const out = await cli(`${dir}/q.txt`, `${dir}/r.txt`, "-m", "RR", "-m", "P@2", "--per-query");
    assert.equal(out.code, 0);
    assert.equal(
      out.stdout,
      "RR\tq1\t1.0000\nP@2\tq1\t0.5000\nRR\tq2\t0.5000\nP@2\tq2\t0.5000\nRR\tall\t0.5000\nP@2\tall\t0.3333\n",
    );
    assert.equal(out.stderr, "eval: 1 qrels queries have no results in the run (counted as 0)\n");
  });
});

Deno.test("CLI options: --missing skip, --rel, --json with full precision", async () => {
  await withFiles({ "q.txt": QRELS, "r.txt": RUN }, async (dir) => {
    const skip = await cli(
      `${dir}/q.txt`,
      `${dir}/r.txt`,
      "-m",
      "P@2",
      "--missing",
      "skip",
      "--rel",
      "2",
    );
    assert.equal(skip.code, 0);
    assert.equal(skip.stdout, "P(rel=2,missing=skip)@2\tall\t0.2500\n");
    const json = await cli(`${dir}/q.txt`, `${dir}/r.txt`, "-m", "P@2", "--json", "-q");
    assert.equal(json.code, 0);
    const parsed = JSON.parse(json.stdout);
    assert.deepEqual(parsed.missingQueries, ["q3"]);
    assert.equal(parsed.measures[0].name, "P@2");
    assert.equal(parsed.measures[0].mean, 1 / 3);
    assert.deepEqual(parsed.measures[0].perQuery, { q1: 0.5, q2: 0.5, q3: 0 });
  });
});

Deno.test("CLI usage errors exit 2 with one line on stderr and nothing on stdout", async () => {
  await withFiles({ "q.txt": QRELS, "r.txt": RUN }, async (dir) => {
    for (
      const args of [
        [],
        [`${dir}/q.txt`, `${dir}/r.txt`],
        [`${dir}/q.txt`, `${dir}/r.txt`, "-m", "MRR@10"],
        [`${dir}/q.txt`, `${dir}/r.txt`, "-m", "nDCG@0"],
        [`${dir}/q.txt`, `${dir}/r.txt`, "-m", "AP", "--bogus"],
        [`${dir}/q.txt`, `${dir}/r.txt`, "-m", "AP", "--missing", "maybe"],
      ]
    ) {
      const out = await cli(...args);
      assert.equal(out.code, 2, args.join(" "));
      assert.equal(out.stdout, "");
      assert.ok(out.stderr.startsWith("eval: "), out.stderr);
      assert.ok(!/\n\s+at /.test(out.stderr), `stack trace in: ${out.stderr}`);
    }
    const unknown = await cli(`${dir}/q.txt`, `${dir}/r.txt`, "-m", "MRR@10");
    assert.match(unknown.stderr, /expected one of nDCG, RR, R, P, AP, Judged, Success/);
    const help = await cli("--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: deno task eval QRELS RUN/);
  });
});

Deno.test("CLI input errors exit 1 with a one-line message naming file and line", async () => {
  await withFiles({
    "q.txt": QRELS,
    "bad.txt": "q1 Q0 a 1 0.5 t\nq1 Q0 b 2\n",
    "dup.txt": "q1 Q0 a 1 1 t\nq1 Q0 a 2 1 t\n",
    "empty.txt": "",
  }, async (dir) => {
    const bad = await cli(`${dir}/q.txt`, `${dir}/bad.txt`, "-m", "AP");
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, "");
    assert.equal(
      bad.stderr,
      `eval: Cannot parse run line 2 of "${dir}/bad.txt": expected 6 fields "qid Q0 docid rank score tag", found 4\n`,
    );
    const dup = await cli(`${dir}/q.txt`, `${dir}/dup.txt`, "-m", "AP");
    assert.equal(dup.code, 1);
    assert.match(
      dup.stderr,
      /^eval: Cannot parse run line 2 of .*"a" is listed twice for query "q1" \(first on line 1\)\n$/,
    );
    const empty = await cli(`${dir}/q.txt`, `${dir}/empty.txt`, "-m", "AP");
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /no result lines found \(empty file\)/);
    const absent = await cli(`${dir}/q.txt`, `${dir}/absent.txt`, "-m", "AP");
    assert.equal(absent.code, 1);
    assert.equal(absent.stderr.split("\n").length, 2);
  });
});

Deno.test({
  name: "CLI reproduces trec_eval's tiny oracle and reads a gzip run with BEIR qrels",
  ignore: oracle === undefined,
  fn: async () => {
    const tiny = await cli(
      `${oracle}/tiny.qrels.txt`,
      `${oracle}/tiny.run.txt`,
      "-m",
      "AP",
      "-m",
      "RR",
      "-m",
      "nDCG@10",
      "-q",
    );
    assert.equal(tiny.code, 0);
    const expected = (await Deno.readTextFile(`${oracle}/trec_eval.tiny.full.txt`)).split("\n")
      .map((l) => l.split("\t").map((f) => f.trim()))
      .filter(([name]) => name === "map" || name === "recip_rank" || name === "ndcg_cut_10")
      .map(([name, qid, value]) =>
        `${{ map: "AP", recip_rank: "RR", ndcg_cut_10: "nDCG@10" }[name!]}\t${qid}\t${value}`
      );
    assert.deepEqual(tiny.stdout.trim().split("\n").sort(), expected.sort());
    const beir = sharedPath("scifact/beir/qrels/test.tsv")!;
    const scifact = await cli(
      beir,
      `${oracle}/run.scifact-bm25.top1000.txt.gz`,
      "-m",
      "nDCG@10",
      "-m",
      "RR@10",
    );
    assert.equal(scifact.stdout, "nDCG@10\tall\t0.6605\nRR@10\tall\t0.6298\n");
  },
});
