/**
 * The peers of `bench:check --peers`, each interleaved with ours at EQUAL thread counts: the
 * PyTorch peer's training step (4L/H256, batch 16 x 2, seq 32, shared towers, mean pooling, Adam)
 * and encoding (32 docs x 64 tokens, no grad) at 1 and 2 threads against ours (tfjs training step
 * on the engine at those threads; ONNX Runtime encoding at those intra-op threads), and trec_eval
 * against `deno task eval` (both as subprocesses, single-threaded) when a trec_eval binary is
 * given. Ratios are ours / peer per repeat; the peer's times are its own (no pipe time). A peer on
 * the reference BLAS says so on its line. A missing peer is skipped with a message.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initEngine } from "../../src/engine/mod.ts";
import type { BenchResultInput } from "../../src/store/mod.ts";
import { BERT_MINI } from "../bert_mini.ts";
import {
  EVAL_MEASURES,
  onnxBenchEncoder,
  seededTokenIds,
  trainStepWorkload,
  writeEvalFiles,
} from "../cases/mod.ts";
import { startTorchServer } from "../peers/torch_server.ts";
import { TORCH_HINT } from "../peers/torch_peer.ts";
import { summariseRatios } from "./stats.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const REPEATS = 5;

/** Options of {@link runPeers}. */
export interface PeerOptions {
  readonly trecEval: string | undefined;
  readonly tempDir: string;
  readonly log: (line: string) => void;
  readonly repeats?: number;
}

/** The peers' rows (stored beside the benches' as `peer/...`) and their table. */
export interface PeerReport {
  readonly rows: readonly BenchResultInput[];
  readonly text: string;
}

async function timeMs(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function row(
  bench: string,
  ours: number[],
  theirs: number[],
  reference: string,
  backend: string,
  threads: number,
  blas: string | null,
): BenchResultInput {
  const s = summariseRatios(ours, theirs);
  return {
    bench,
    reference,
    medianMs: s.medianMs,
    referenceMedianMs: s.referenceMedianMs,
    ratio: s.ratio,
    spread: s.spread,
    repeats: s.repeats,
    backend,
    threads,
    blas,
    baselineRatio: null,
    threshold: null,
    verdict: null,
  };
}

async function torchRows(
  repeats: number,
  log: (line: string) => void,
): Promise<BenchResultInput[]> {
  const rows: BenchResultInput[] = [];
  const docs = 32;
  const seq = 64;
  const ids = seededTokenIds(BERT_MINI.vocabSize, docs, seq, 2);
  for (const threads of [1, 2]) {
    const engine = await initEngine({ backend: "wasm", threads });
    const workload = trainStepWorkload(BERT_MINI, 16, 32);
    const encoder = await onnxBenchEncoder(threads);
    const server = await startTorchServer({
      threads,
      batch: 16,
      seq: 32,
      encodeDocs: docs,
      encodeSeq: seq,
    });
    const peerBlas = server.referenceBlas
      ? `REFERENCE BLAS, not optimised: ${server.blas}`
      : server.blas;
    log(`peers: pytorch ${server.torch}, ${server.threads} thread(s), ${peerBlas}`);
    try {
      workload.trainStep();
      await encoder.encode(ids, { maxLength: seq, batchSize: docs });
      const train: [number[], number[]] = [[], []];
      const encode: [number[], number[]] = [[], []];
      for (let i = 0; i < repeats; i++) {
        train[0].push(await timeMs(() => workload.trainStep()));
        train[1].push(1000 * await server.time("train"));
        encode[0].push(
          await timeMs(() => encoder.encode(ids, { maxLength: seq, batchSize: docs })),
        );
        encode[1].push(1000 * await server.time("encode"));
      }
      const reference = `pytorch ${server.torch}, ${peerBlas}`;
      rows.push(row(
        `peer/train-step@${threads}`,
        ...train,
        reference,
        engine.backend,
        threads,
        engine.blas.found ? "openblas" : null,
      ));
      rows.push(
        row(`peer/encode@${threads}`, ...encode, reference, "ort-cpu", threads, "ort-mlas"),
      );
    } finally {
      await server.close();
    }
  }
  return rows;
}

async function trecEvalRow(
  trecEval: string,
  tempDir: string,
  repeats: number,
): Promise<BenchResultInput> {
  const files = await writeEvalFiles(tempDir, 300, 1000);
  const run = async (cmd: string, args: string[]) => {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
    if (!out.success) {
      throw new Error(
        `${cmd} failed: ${new TextDecoder().decode(out.stderr).trim().slice(0, 300)}`,
      );
    }
  };
  const ours = () =>
    run(Deno.execPath(), [
      "run",
      "--allow-read",
      "--allow-env",
      join(REPO, "src/cli/eval.ts"),
      files.qrels,
      files.run,
      ...EVAL_MEASURES.flatMap((m) => ["-m", m]),
    ]);
  // trec_eval needs two calls: RR@10 is recip_rank at -M 10.
  const theirs = async () => {
    await run(trecEval, [
      "-m",
      "ndcg_cut.10",
      "-m",
      "recall.1000",
      "-m",
      "map",
      files.qrels,
      files.run,
    ]);
    await run(trecEval, ["-M", "10", "-m", "recip_rank", files.qrels, files.run]);
  };
  await ours();
  await theirs();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < repeats; i++) {
    a.push(await timeMs(ours));
    b.push(await timeMs(theirs));
  }
  return row("peer/eval-cli", a, b, `trec_eval (${trecEval})`, "ts", 1, null);
}

/** Run the peers that are installed; their rows and table. */
export async function runPeers(options: PeerOptions): Promise<PeerReport> {
  const repeats = options.repeats ?? REPEATS;
  const rows: BenchResultInput[] = [];
  const notes: string[] = [];
  try {
    rows.push(...await torchRows(repeats, options.log));
  } catch (error) {
    notes.push(`pytorch peer skipped: ${(error as Error).message} (${TORCH_HINT})`);
  }
  if (options.trecEval === undefined) {
    notes.push(
      "trec_eval peer skipped: no --trec-eval PATH or EMBEDDISTILL_TREC_EVAL (it is on neither apt nor npm; build it from github.com/usnistgov/trec_eval)",
    );
  } else {
    try {
      rows.push(await trecEvalRow(options.trecEval, options.tempDir, repeats));
    } catch (error) {
      notes.push(`trec_eval peer failed: ${(error as Error).message}`);
    }
  }
  for (const n of notes) options.log(`peers: ${n}`);
  const header = ["peer bench", "threads", "ours ms", "peer ms", "ours/peer", "spread", "peer"];
  const cells = [
    header,
    ...rows.map((r) => [
      r.bench,
      String(r.threads),
      r.medianMs.toFixed(1),
      r.referenceMedianMs.toFixed(1),
      r.ratio.toFixed(2),
      r.spread.toFixed(2),
      r.reference,
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const table = cells.map((c) => c.map((v, i) => v.padEnd(widths[i]!)).join(" | ").trimEnd());
  return { rows, text: [...table, ...notes.map((n) => `# ${n}`)].join("\n") };
}
