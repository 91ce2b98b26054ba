import assert from "node:assert/strict";
import { sampleCell, sampleRun, withTempStore } from "../testing/mod.ts";
import { writeCell } from "./cells.ts";
import { exportRun, latexEscape } from "./export_run.ts";
import type { Store } from "./open_store.ts";
import { beginRun } from "./runs.ts";

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  return text;
}

async function withRun(fn: (store: Store, runId: number) => Promise<void>): Promise<void> {
  await withTempStore(async (store) => {
    const runId = await beginRun(store, sampleRun("key,1"));
    await writeCell(
      store,
      runId,
      sampleCell("a", 1, 2, { metrics: { "nDCG@10": 0.5, "RR@10": 0.25 } }),
    );
    await writeCell(
      store,
      runId,
      sampleCell("b", 2, 0, {
        status: "failed",
        error: "boom",
        metrics: {},
        perQuery: {},
      }),
    );
    await fn(store, runId);
  });
}

Deno.test("exportRun csv: one row per cell and measure, quoted where needed; failed cells kept", async () => {
  await withRun(async (store, runId) => {
    const text = await collect(exportRun(store, runId, "csv"));
    assert.equal(
      text,
      [
        "run,run_key,experiment,preset,cell,method,size,mode,seed,status,measure,value,queries",
        `${runId},"key,1",table2,tiny,a/1-10/asymmetric/1,a,1-10,asymmetric,1,ok,RR@10,0.25,2`,
        `${runId},"key,1",table2,tiny,a/1-10/asymmetric/1,a,1-10,asymmetric,1,ok,nDCG@10,0.5,2`,
        `${runId},"key,1",table2,tiny,b/1-10/asymmetric/2,b,1-10,asymmetric,2,failed,,,`,
        "",
      ].join("\n"),
    );
    // By run key too.
    assert.equal(await collect(exportRun(store, "key,1", "csv")), text);
  });
});

Deno.test("exportRun jsonl: one object per cell with metrics, latency, sizes, timings", async () => {
  await withRun(async (store, runId) => {
    const lines = (await collect(exportRun(store, runId, "jsonl"))).trimEnd().split("\n");
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0]!);
    assert.equal(first.cell, "a/1-10/asymmetric/1");
    assert.deepEqual(first.metrics, { "RR@10": 0.25, "nDCG@10": 0.5 });
    assert.equal(first.latency.p50, 1.5);
    assert.equal(first.sizes.indexBytesFp16, 4096);
    assert.deepEqual(first.timings, { encode: 0.5, train: 1.25 });
    assert.equal(JSON.parse(lines[1]!).error, "boom");
  });
});

Deno.test("exportRun latex: a booktabs tabular of cells x measures, special characters escaped", async () => {
  await withRun(async (store, runId) => {
    const text = await collect(exportRun(store, runId, "latex"));
    assert.match(text, /^% table2 \(preset tiny\), run \d+ "key,1", commit 0123456789ab/);
    assert.match(
      text,
      /\\begin\{tabular\}\{lrr\}\n\\toprule\nCell & RR@10 & nDCG@10 \\\\\n\\midrule\n/,
    );
    assert.match(text, /a\/1-10\/asymmetric\/1 & 0\.2500 & 0\.5000 \\\\\n/);
    assert.match(
      text,
      /b\/1-10\/asymmetric\/2 & failed & failed \\\\\n\\bottomrule\n\\end\{tabular\}\n$/,
    );
    assert.equal(
      latexEscape("a_b & 5% {x} ~^\\"),
      "a\\_b \\& 5\\% \\{x\\} \\textasciitilde{}\\textasciicircum{}\\textbackslash{}",
    );
  });
});

Deno.test("exportRun per-query-tsv: query_id, system (cell id), measure, value with a header", async () => {
  await withRun(async (store, runId) => {
    const text = await collect(exportRun(store, runId, "per-query-tsv"));
    const cell = sampleCell("a", 1, 2);
    assert.equal(
      text,
      [
        "query_id\tsystem\tmeasure\tvalue",
        `q0\ta/1-10/asymmetric/1\tRR@10\t${cell.perQuery["RR@10"]!["q0"]}`,
        `q1\ta/1-10/asymmetric/1\tRR@10\t${cell.perQuery["RR@10"]!["q1"]}`,
        `q0\ta/1-10/asymmetric/1\tnDCG@10\t${cell.perQuery["nDCG@10"]!["q0"]}`,
        `q1\ta/1-10/asymmetric/1\tnDCG@10\t${cell.perQuery["nDCG@10"]!["q1"]}`,
        "",
      ].join("\n"),
    );
    await assert.rejects(
      collect(exportRun(store, 42, "csv")),
      /Cannot export run "42" of ".*": no such run/,
    );
  });
});
