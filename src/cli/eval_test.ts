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
    stdin: "null",
  }).output();
  return decoded(output);
}

/** The CLI with `input` piped to its standard input. */
async function cliWithStdin(input: Uint8Array, ...args: string[]): Promise<Outcome> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", CLI, ...args],
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(input);
  await writer.close();
  return decoded(await child.output());
}

function decoded(output: Deno.CommandOutput): Outcome {
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
      "RR\tq1\t1.0000\nP@2\tq1\t0.5000\nRR\tq2\t0.5000\nP@2\tq2\t0.5000\nRR\tq3\t0.0000\nP@2\tq3\t0.0000\n" +
        "RR\tall\t0.5000\nP@2\tall\t0.3333\n",
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

Deno.test("CLI --per-query under missing=zero prints the qrels queries absent from the run as 0", async () => {
  await withFiles({ "q.txt": QRELS, "r.txt": RUN }, async (dir) => {
    const zero = await cli(`${dir}/q.txt`, `${dir}/r.txt`, "-m", "AP", "-q");
    assert.equal(zero.code, 0);
    assert.equal(zero.stdout, "AP\tq1\t0.8333\nAP\tq2\t0.5000\nAP\tq3\t0.0000\nAP\tall\t0.4444\n");
    // Under missing=skip they are left out, as in the mean.
    const skip = await cli(`${dir}/q.txt`, `${dir}/r.txt`, "-m", "AP", "-q", "--missing", "skip");
    assert.equal(
      skip.stdout,
      "AP(missing=skip)\tq1\t0.8333\nAP(missing=skip)\tq2\t0.5000\nAP(missing=skip)\tall\t0.6667\n",
    );
  });
});

Deno.test({
  name: "CLI --per-query with a query missing from the run matches trec_eval -c -q line for line",
  ignore: oracle === undefined,
  fn: async () => {
    // trec_eval -q -c on the full run, with query 100 dropped: trec_eval -c evaluates it over
    // an empty ranking (0) and prints it in its place (qrels query ids in strcmp order).
    const dropped = "100";
    const lines =
      (await Deno.readTextFile(`${oracle}/trec_eval.scifact-bm25.ndcg10-recall-map.txt`))
        .trim().split("\n").map((l) => l.split("\t").map((f) => f.trim()));
    const names: Record<string, string> = { map: "AP", ndcg_cut_10: "nDCG@10" };
    const expected = lines.filter(([name, qid]) => name! in names && qid !== "all")
      .map(([name, qid, value]) =>
        `${names[name!]}\t${qid}\t${qid === dropped ? "0.0000" : value}`
      );
    const run = new TextDecoder().decode(
      new Uint8Array(
        await new Response(
          (await Deno.open(`${oracle}/run.scifact-bm25.top1000.txt.gz`)).readable.pipeThrough(
            new DecompressionStream("gzip"),
          ),
        ).arrayBuffer(),
      ),
    ).split("\n").filter((l) => !l.startsWith(`${dropped} `)).join("\n");
    await withFiles({ "run.txt": run }, async (dir) => {
      const beir = sharedPath("scifact/beir/qrels/test.tsv")!;
      const out = await cli(beir, `${dir}/run.txt`, "-m", "AP", "-m", "nDCG@10", "-q");
      assert.equal(out.code, 0, out.stderr);
      const perQuery = out.stdout.trim().split("\n").filter((l) => !l.includes("\tall\t"));
      assert.deepEqual(perQuery, expected);
      assert.match(out.stderr, /1 qrels queries have no results in the run \(counted as 0\)/);
    });
  },
});

Deno.test("CLI refuses qrels and runs starting with a byte-order mark, naming file and line 1", async () => {
  await withFiles({
    "q.txt": QRELS,
    "r.txt": RUN,
    "bom-q.txt": "\uFEFF" + QRELS,
    "bom-r.txt": "\uFEFF" + RUN,
  }, async (dir) => {
    for (
      const [qrels, run, bad] of [["bom-q.txt", "r.txt", "qrels"], ["q.txt", "bom-r.txt", "run"]]
    ) {
      const out = await cli(`${dir}/${qrels}`, `${dir}/${run}`, "-m", "R@100");
      assert.equal(out.code, 1);
      assert.equal(out.stdout, "");
      const file = `${dir}/${bad === "qrels" ? qrels : run}`;
      assert.ok(
        out.stderr.startsWith(
          `eval: Cannot parse ${bad} line 1 of "${file}": expected an id, found a UTF-8 byte-order mark`,
        ),
        out.stderr,
      );
      assert.ok(out.stderr.includes(String.raw`sed -i '1s/^\xEF\xBB\xBF//' "${file}"`), out.stderr);
      assert.equal(out.stderr.split("\n").length, 2);
    }
  });
});

Deno.test("CLI: a truncated .gz or a directory is a one-line error naming the file; /dev/stdin is read", async () => {
  await withFiles({ "q.txt": QRELS, "r.txt": RUN }, async (dir) => {
    const gz = new Uint8Array(
      await new Response(
        new Blob([RUN.repeat(50)]).stream().pipeThrough(new CompressionStream("gzip")),
      )
        .arrayBuffer(),
    );
    await Deno.writeFile(`${dir}/cut.gz`, gz.subarray(0, gz.length - 12));
    const cut = await cli(`${dir}/q.txt`, `${dir}/cut.gz`, "-m", "AP");
    assert.equal(cut.code, 1);
    assert.equal(cut.stdout, "");
    assert.match(
      cut.stderr,
      new RegExp(
        `^eval: Cannot read "${dir}/cut\\.gz" as gzip: the compressed data is truncated or corrupt .*\n$`,
      ),
    );
    await Deno.mkdir(`${dir}/folder`);
    const folder = await cli(`${dir}/folder`, `${dir}/r.txt`, "-m", "AP");
    assert.equal(folder.code, 1);
    assert.equal(
      folder.stderr,
      `eval: Cannot read "${dir}/folder": it is a directory, not a file\n`,
    );
    // /dev/stdin: a pipe (not seekable) is read like the file; an empty one is named.
    const expected = await cli(`${dir}/q.txt`, `${dir}/r.txt`, "-m", "AP", "-q");
    const piped = await cliWithStdin(
      new TextEncoder().encode(RUN),
      `${dir}/q.txt`,
      "/dev/stdin",
      "-m",
      "AP",
      "-q",
    );
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, expected.stdout);
    const runGz = new Uint8Array(
      await new Response(new Blob([RUN]).stream().pipeThrough(new CompressionStream("gzip")))
        .arrayBuffer(),
    );
    const pipedGz = await cliWithStdin(runGz, `${dir}/q.txt`, "-", "-m", "AP", "-q");
    assert.equal(pipedGz.code, 0, pipedGz.stderr);
    assert.equal(pipedGz.stdout, expected.stdout);
    const empty = await cli(`${dir}/q.txt`, "/dev/stdin", "-m", "AP");
    assert.equal(empty.code, 1);
    assert.equal(
      empty.stderr,
      `eval: Cannot read run "/dev/stdin": no result lines found (empty file)\n`,
    );
  });
});

Deno.test("CLI unknown option: a readable sentence listing the valid options, exit 2", async () => {
  const out = await cli("q.txt", "r.txt", "-m", "AP", "--bogus");
  assert.equal(out.code, 2);
  assert.equal(
    out.stderr,
    `eval: unknown option "--bogus"; valid options: -m, --measure VALUE; -q, --per-query; --json; ` +
      `-l, --rel VALUE; --missing VALUE; --drop-identical-ids; --qrels-format VALUE; -h, --help ` +
      `(see --help)\n`,
  );
});
