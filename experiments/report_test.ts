import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFixtureRun } from "../src/testing/mod.ts";
import { main, type ReportIo } from "./report.ts";

function io(): ReportIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (text) => {
      out.push(text);
      return Promise.resolve();
    },
    err: (line) => err.push(line),
    stdout: () => out.join(""),
    stderr: () => err.join("\n"),
  };
}

async function withTable2Store(fn: (db: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-report-cli-" });
  try {
    const db = join(dir, "results.sqlite");
    await writeFixtureRun(db, { experiment: "table2" });
    await writeFixtureRun(db, { experiment: "table2", runKey: "shifted", shift: 0.2 });
    await fn(db, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("report: usage errors exit 2 with a message; --against is the regressions issue's", async () => {
  for (
    const [args, message] of [
      [[], /Expected one experiment/],
      [["table9"], /Unknown experiment "table9": expected one of table2/],
      [["table2", "--format", "pdf"], /--format must be one of text, md, html, found "pdf"/],
      [
        ["table2", "--against", "expected"],
        /--against expected is not available yet: .*regressions issue/,
      ],
      [["table2", "--bogus"], /bogus/],
    ] as const
  ) {
    const x = io();
    assert.equal(await main(args, x), 2, args.join(" "));
    assert.match(x.stderr(), message);
    assert.match(x.stderr(), /Usage: deno task report/);
    assert.equal(x.stdout(), "");
  }
  const help = io();
  assert.equal(await main(["--help"], help), 0);
  assert.match(help.stdout(), /--screenshot PATH/);
});

Deno.test("report: no store, or no such run, is a failure saying what is missing", async () => {
  await withTable2Store(async (db, dir) => {
    const none = io();
    assert.equal(await main(["table2", "--db", join(dir, "none.sqlite"), "--out", dir], none), 1);
    assert.match(none.stderr(), /no results store at ".*none\.sqlite"/);
    const unknown = io();
    assert.equal(await main(["table2", "--db", db, "--run", "77", "--out", dir], unknown), 1);
    assert.match(unknown.stderr(), /No run 77 in results store/);
  });
});

Deno.test("report table2 --db: md, html and charts written; stdout gets the chosen format", async () => {
  await withTable2Store(async (db, dir) => {
    const out = join(dir, "reports");
    const text = io();
    assert.equal(await main(["table2", "--db", db, "--run", "1", "--out", out], text), 0);
    assert.match(text.stdout(), /^table2 · MS MARCO/);
    assert.match(text.stdout(), /^labels\/1-10\/symmetric\s+\d\.\d{4} ± \d\.\d{4}/m);
    assert.match(text.stdout(), /^embeddistill\/2-3\/asymmetric\s+not run/m);
    for (
      const name of ["table2.md", "table2.html", "table2.tradeoff.svg", "table2.per-query.svg"]
    ) {
      assert.match(text.stderr(), new RegExp(`report: ${join(out, name).replaceAll(".", "\\.")}`));
    }
    const md = io();
    assert.equal(
      await main(["table2", "--db", db, "--run", "1", "--out", out, "--format", "md"], md),
      0,
    );
    assert.equal(md.stdout(), await Deno.readTextFile(join(out, "table2.md")));
    const html = io();
    assert.equal(
      await main(["table2", "--db", db, "--run", "1", "--out", out, "--format", "html"], html),
      0,
    );
    assert.equal(html.stdout(), await Deno.readTextFile(join(out, "table2.html")));
  });
});

Deno.test("report table2 --run A --compare B: both runs and the differences, written and printed", async () => {
  await withTable2Store(async (db, dir) => {
    const x = io();
    assert.equal(
      await main(["table2", "--db", db, "--run", "1", "--compare", "shifted", "--out", dir], x),
      0,
    );
    assert.match(x.stdout(), /^table2 · run 1 vs run 2$/m);
    assert.match(x.stdout(), /^labels\/1-10\/symmetric\s+nDCG@10\s+\S+\s+\S+\s+\+0\.\d{4} ▲/m);
    const md = await Deno.readTextFile(join(dir, "table2.run1-vs-run2.md"));
    assert.match(md, /^\| run key \| fixture-run \| shifted \|$/m);
    assert.match(
      await Deno.readTextFile(join(dir, "table2.run1-vs-run2.html")),
      /<table id="results">/,
    );
  });
});
