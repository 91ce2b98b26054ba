// deno-lint-ignore-file no-console
/**
 * Benchmark of the evaluation engine on an MS MARCO dev-size run (6,980 queries x 1,000
 * documents, generated deterministically from the shared dev qrels): parse + evaluate nDCG@10,
 * RR@10, R@1000 and AP in-process against a naive baseline (readTextFile + split + full sort),
 * and the `deno task eval` CLI wall time with its peak memory. Goal: CLI <= 1/3 of trec_eval's
 * ~11 s for the same four measures (two trec_eval calls, since RR@10 needs -M 10).
 *
 * Run: deno bench --allow-read --allow-write --allow-env --allow-run --allow-sys bench/eval_bench.ts
 *
 * @module
 */

import { join } from "node:path";
import { evaluate, parseMeasure, readQrels, readRun } from "../src/eval/mod.ts";
import { parseRunText, referenceEvaluate, REPO_ROOT, sharedPath } from "../src/testing/mod.ts";
import { cacheHome } from "../src/data/mod.ts";
import { formatMachine, seededRandom } from "../src/engine/mod.ts";

const QUERIES_DOCS = 1000;
const MAX_DOC_ID = 8_841_822;
const SEED = 20230126;
const MEASURES = ["nDCG@10", "RR@10", "R@1000", "AP"];

function cacheDir(): string {
  return join(cacheHome(), "bench");
}

/**
 * Generate (once, cached) the run: per query of the dev qrels its relevant ids plus random ids
 * from 0..8,841,822 up to 1,000 documents, random scores printed with 6 decimals, ranked by
 * score (ties by id descending).
 */
async function ensureRun(qrelsPath: string): Promise<string> {
  const path = join(cacheDir(), `msmarco-dev-run-6980x1000-seed${SEED}.txt`);
  try {
    await Deno.stat(path);
    return path;
  } catch {
    // not cached yet
  }
  await Deno.mkdir(cacheDir(), { recursive: true });
  const relevant = new Map<string, string[]>();
  for (const line of (await Deno.readTextFile(qrelsPath)).split("\n")) {
    const [qid, , docId] = line.trim().split(/\s+/);
    if (qid === undefined || docId === undefined) continue;
    const list = relevant.get(qid) ?? [];
    list.push(docId);
    relevant.set(qid, list);
  }
  const random = seededRandom(SEED);
  const temporary = `${path}.${Deno.pid}.tmp`;
  const file = await Deno.open(temporary, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  for (const [qid, rel] of relevant) {
    const ids = new Set(rel);
    while (ids.size < QUERIES_DOCS) ids.add(String(Math.floor(random() * (MAX_DOC_ID + 1))));
    const docs = [...ids].map((docId) => ({ docId, score: (random() * 20).toFixed(6) }));
    docs.sort((a, b) =>
      Number(b.score) - Number(a.score) || (a.docId < b.docId ? 1 : a.docId > b.docId ? -1 : 0)
    );
    const text = docs.map((d, i) => `${qid} Q0 ${d.docId} ${i + 1} ${d.score} bench\n`).join("");
    const bytes = encoder.encode(text);
    for (let offset = 0; offset < bytes.length;) offset += await file.write(bytes.subarray(offset));
  }
  file.close();
  await Deno.rename(temporary, path);
  return path;
}

function machine(): string {
  return `${formatMachine()}, V8 JS single thread`;
}

const qrelsPath = sharedPath("msmarco-passage/qrels.msmarco-passage.dev-subset.txt");
const runPath = qrelsPath === undefined ? undefined : await ensureRun(qrelsPath);
const measures = MEASURES.map(parseMeasure);
const info = machine();
if (runPath !== undefined) {
  const size = (await Deno.stat(runPath)).size;
  console.log(`eval bench: run ${runPath} (${(size / 2 ** 20).toFixed(0)} MiB), ${info}`);
}

Deno.bench({
  name: `naive baseline: readTextFile + split + sort, 4 measures [${info}]`,
  group: "parse + evaluate 6,980 x 1,000",
  baseline: true,
  n: 1,
  warmup: 0,
  ignore: runPath === undefined,
  fn: async () => {
    const qrels = await readQrels(qrelsPath!);
    const run = parseRunText(await Deno.readTextFile(runPath!));
    referenceEvaluate(qrels, run, measures);
  },
});

Deno.bench({
  name: `engine: streaming byte parser + judged ranks, 4 measures [${info}]`,
  group: "parse + evaluate 6,980 x 1,000",
  n: 3,
  warmup: 0,
  ignore: runPath === undefined,
  fn: async () => {
    const qrels = await readQrels(qrelsPath!);
    const run = await readRun(runPath!);
    evaluate(qrels, run, measures);
  },
});

let reported = false;
Deno.bench({
  name: `CLI wall time: deno run src/cli/eval.ts, 4 measures, subprocess [${info}]`,
  n: 3,
  warmup: 0,
  ignore: runPath === undefined,
  fn: async () => {
    const args = [
      "run",
      "--allow-read",
      "--allow-env",
      join(REPO_ROOT, "src/cli/eval.ts"),
      qrelsPath!,
      runPath!,
    ];
    for (const m of MEASURES) args.push("-m", m);
    const output = await new Deno.Command("/usr/bin/time", {
      args: ["-v", Deno.execPath(), ...args],
    }).output();
    if (!output.success) throw new Error(`CLI failed: ${new TextDecoder().decode(output.stderr)}`);
    if (!reported) {
      reported = true;
      const stderr = new TextDecoder().decode(output.stderr);
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
      const wall = /Elapsed \(wall clock\) time.*: (\S+)\n/.exec(stderr)?.[1];
      const user = /User time \(seconds\): (\S+)/.exec(stderr)?.[1];
      const system = /System time \(seconds\): (\S+)/.exec(stderr)?.[1];
      const mib = rss === undefined ? "?" : (Number(rss) / 1024).toFixed(0);
      console.log(
        `eval bench: CLI peak RSS ${mib} MiB, wall ${wall}, CPU user ${user} s + sys ${system} s`,
      );
      console.log(new TextDecoder().decode(output.stdout).trim());
    }
  },
});
