// deno-lint-ignore-file no-console
/**
 * CLI: evaluate a retriever on a split — a dual encoder's model directory (dense, or asymmetric
 * when it records its teacher), BM25, optionally re-ranked by a cross-encoder — writing the TREC
 * run, the resolved configuration beside it, and printing the measures, query latency, index
 * sizes and parameter counts.
 *
 * Usage: `deno task search --model DIR --data ID|DIR --run OUT.trec [-m nDCG@10 ...]`
 *
 * @module
 */

import { type LoadedSplit, loadSplit } from "../data/mod.ts";
import { describeEngine, initEngine } from "../engine/mod.ts";
import { formatFixed, MEASURE_KINDS, parseMeasure } from "../eval/mod.ts";
import { writeFileAtomic } from "../io/mod.ts";
import {
  type ParameterCount,
  parameterCount,
  readModelSpec,
  readTeacherRecord,
} from "../models/mod.ts";
import {
  bm25Retriever,
  describeRetriever,
  evaluateRetriever,
  type FirstStage,
  modelRetriever,
  type PairScorerEngine,
  rerankRetriever,
  type RetrievalProgress,
  type Retriever,
  type RetrieverEvaluation,
} from "../retrieval/mod.ts";
import { parseCommand, userPath } from "./command_args.ts";
import { dataSource } from "./data_arg.ts";
import { ProgressBar, type ProgressSink, stderrSink } from "./progress.ts";
import { UsageError } from "./usage_error.ts";

const USAGE = `Usage: deno task search (--model DIR | --bm25) --data ID|DIR --run OUT.trec [options]

Search every query of a split exactly, write the run (TREC format) and evaluate it. The model is a
dual encoder's directory (its onnx-query/onnx-document folders, or config.json, model.safetensors
and tokenizer.json, exported on demand); a student whose directory records its teacher
(teacher.json) is searched against the teacher's document embeddings. The corpus embeddings are
cached under $EMBEDDISTILL_HOME/artifacts by encoder and data.

Options:
      --model DIR          dual-encoder model directory (or an ONNX encoder folder)
      --bm25               retrieve with BM25 instead (first stage of --rerank)
      --data ID|DIR        dataset id of datasets.lock or a BEIR folder (required)
      --split NAME         split to evaluate (default test)
      --run FILE           TREC run to write (required); FILE.config.json gets the configuration
  -m, --measure M          measure (repeatable; default nDCG@10, RR@10, R@100); one of
                           ${MEASURE_KINDS.join(", ")}
      --rerank DIR         re-rank the first stage's top --depth with this cross-encoder
      --depth N            re-ranking depth (default 100)
      --rerank-engine E    onnx (ONNX Runtime, default) or tfjs: where the cross-encoder runs
      --k N                documents per query in the run (default 1000)
      --threads N          ONNX Runtime intra-op threads of encoding and search (latency always
                           uses 1, the protocol of EXPERIMENTS.md)
      --latency-queries N  timed queries of the latency protocol (default 500; 0 skips it)
      --json               print JSON (with per-query values) instead of text lines
      --config FILE        JSON object of these options; flags override it
  -h, --help               show this help

Output: measure<TAB>all<TAB>value lines (as trec_eval), then name<TAB>value lines: latency p50/p95 in
ms per stage, index size (fp32, fp16), documents encoded per second, parameter counts.
Exit status: 0 ok, 1 failure, 2 usage error.`;

const OPTIONS = {
  model: { type: "string" },
  bm25: { type: "boolean" },
  data: { type: "string" },
  split: { type: "string" },
  run: { type: "string" },
  measure: { type: "string", short: "m", multiple: true },
  rerank: { type: "string" },
  depth: { type: "string" },
  "rerank-engine": { type: "string" },
  k: { type: "string" },
  threads: { type: "string" },
  "latency-queries": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The resolved configuration of a search (written beside the run). */
export interface SearchOptions {
  readonly model: string | null;
  readonly bm25: boolean;
  readonly data: string;
  readonly split: string;
  readonly run: string;
  readonly measures: readonly string[];
  readonly rerank: string | null;
  readonly depth: number;
  readonly rerankEngine: PairScorerEngine;
  readonly k: number;
  readonly threads: number | null;
  readonly latencyQueries: number;
  readonly json: boolean;
  readonly configFile: string | null;
}

/** Where the CLI writes. */
export interface SearchIo {
  readonly stdout: (line: string) => void;
  readonly progress: ProgressSink;
}

function integer(value: unknown, flag: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  const text = String(value);
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${flag} must be an integer >= ${min}, found "${text}"`);
  }
  return n;
}

/** Parse the command line (and `--config`); "help" for -h. */
export async function parseSearchArgs(args: readonly string[]): Promise<SearchOptions | "help"> {
  const { values, configFile } = await parseCommand(args, OPTIONS);
  if (values["help"] === true) return "help";
  const str = (k: string) => typeof values[k] === "string" ? values[k] as string : undefined;
  const model = str("model");
  const bm25 = values["bm25"] === true;
  if (model === undefined && !bm25) throw new UsageError("missing --model DIR (or --bm25)");
  if (model !== undefined && bm25) {
    throw new UsageError("--model and --bm25 cannot be used together: choose one first stage");
  }
  const data = str("data");
  if (data === undefined) throw new UsageError("missing --data ID|DIR");
  const run = str("run");
  if (run === undefined) throw new UsageError("missing --run FILE");
  const measures = (values["measure"] as string[] | undefined) ?? ["nDCG@10", "RR@10", "R@100"];
  for (const m of measures) {
    try {
      parseMeasure(m);
    } catch (error) {
      throw new UsageError(`-m ${m}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const rerank = str("rerank");
  if (values["depth"] !== undefined && rerank === undefined) {
    throw new UsageError("--depth needs --rerank DIR");
  }
  const rerankEngine = str("rerank-engine") ?? "onnx";
  if (rerankEngine !== "onnx" && rerankEngine !== "tfjs") {
    throw new UsageError(`--rerank-engine ${rerankEngine}: expected onnx or tfjs`);
  }
  if (values["rerank-engine"] !== undefined && rerank === undefined) {
    throw new UsageError("--rerank-engine needs --rerank DIR");
  }
  const threads = values["threads"] === undefined
    ? null
    : integer(values["threads"], "threads", 1, 1);
  return {
    model: model === undefined ? null : userPath(model),
    bm25,
    data,
    split: str("split") ?? "test",
    run: userPath(run),
    measures,
    rerank: rerank === undefined ? null : userPath(rerank),
    depth: integer(values["depth"], "depth", 1, 100),
    rerankEngine,
    k: integer(values["k"], "k", 1, 1000),
    threads,
    latencyQueries: integer(values["latency-queries"], "latency-queries", 0, 500),
    json: values["json"] === true,
    configFile,
  };
}

async function specCount(dir: string): Promise<ParameterCount | null> {
  try {
    // The suite's config.json, or a Hugging Face / sentence-transformers folder's.
    return parameterCount(await readModelSpec(dir));
  } catch {
    return null; // no config.json, or not a BERT model (e.g. an ONNX-only folder): counts unknown
  }
}

/** Parameter counts of the searched models: the query side, document side and re-ranker. */
async function parameters(retriever: Retriever): Promise<Record<string, ParameterCount | null>> {
  const out: Record<string, ParameterCount | null> = {};
  const first: FirstStage = retriever.kind === "rerank" ? retriever.first : retriever;
  if (first.kind === "dense" || first.kind === "asymmetric") {
    out["model"] = await specCount(first.modelDir);
    const teacher = await readTeacherRecord(first.modelDir);
    if (teacher !== undefined) out["teacher"] = await specCount(teacher.path);
  }
  if (retriever.kind === "rerank") out["rerank"] = await specCount(retriever.crossEncoder.dir);
  return out;
}

function progressRenderer(sink: ProgressSink): {
  onProgress: (p: RetrievalProgress) => void;
  finish: () => void;
} {
  let phase: string | undefined;
  let bar: ProgressBar | undefined;
  const labels: Record<RetrievalProgress["phase"], string> = {
    index: "encode corpus",
    queries: "encode queries",
    search: "search",
    rerank: "re-rank",
    latency: "latency",
  };
  return {
    onProgress: (p) => {
      if (p.phase !== phase) {
        bar?.finish();
        phase = p.phase;
        bar = new ProgressBar(sink, { label: labels[p.phase] });
      }
      bar!.update({ done: p.done, total: p.total });
    },
    finish: () => bar?.finish(),
  };
}

function fixed(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** The text output: measures as trec_eval lines, then `name<TAB>value` lines. */
export function textLines(
  result: RetrieverEvaluation,
  params: Record<string, ParameterCount | null>,
): string[] {
  const lines = result.results.map((r) => `${r.name}\tall\t${formatFixed(r.mean, 4)}`);
  lines.push(`retriever\t${describeRetriever(result.retriever)}`);
  lines.push(`run\t${result.runPath}`);
  lines.push(`documents\t${result.split.documents}`, `queries\t${result.split.queries}`);
  const index = result.index;
  if (index !== null) {
    lines.push(`index_dims\t${index.dims}`);
    lines.push(`index_bytes_fp32\t${index.fp32Bytes}`, `index_bytes_fp16\t${index.fp16Bytes}`);
    lines.push(`index_cached\t${index.cached}`);
    if (index.encoding !== null) {
      lines.push(`encode_docs_per_s\t${fixed(index.encoding.documentsPerSecond, 1)}`);
    }
  }
  for (const [phase, seconds] of Object.entries(result.timings.phases)) {
    lines.push(`seconds_${phase}\t${fixed(seconds)}`);
  }
  const latency = result.timings.latency;
  if (latency !== null) {
    lines.push(`latency_queries\t${latency.queries}`);
    for (const [stage, p] of Object.entries(latency.stages)) {
      lines.push(`latency_${stage}_p50_ms\t${fixed(p.p50Ms)}`);
      lines.push(`latency_${stage}_p95_ms\t${fixed(p.p95Ms)}`);
    }
  }
  for (const [name, count] of Object.entries(params)) {
    if (count === null) continue;
    if (count.kind === "dual") {
      lines.push(`params_${name}_query\t${count.query.total}`);
      lines.push(`params_${name}_query_no_embeddings\t${count.query.withoutEmbeddingTable}`);
      lines.push(`params_${name}_document\t${count.document.total}`);
      lines.push(
        `params_${name}_document_no_embeddings\t${count.document.withoutEmbeddingTable}`,
      );
    } else {
      lines.push(`params_${name}\t${count.encoder.total}`);
      lines.push(`params_${name}_no_embeddings\t${count.encoder.withoutEmbeddingTable}`);
    }
  }
  return lines;
}

function jsonSummary(
  result: RetrieverEvaluation,
  params: Record<string, ParameterCount | null>,
): unknown {
  return {
    retriever: result.retriever,
    split: result.split,
    k: result.k,
    run: result.runPath,
    measures: result.aggregates,
    perQuery: Object.fromEntries(
      result.results.map((r) => [r.name, Object.fromEntries(r.perQuery)]),
    ),
    index: result.index,
    timings: result.timings,
    parameters: params,
  };
}

function defaultIo(): SearchIo {
  return { stdout: (line) => console.log(line), progress: stderrSink() };
}

/** Run the search CLI with `args`; returns the exit status (0 ok, 1 failure, 2 usage error). */
export async function main(args: string[], io: SearchIo = defaultIo()): Promise<number> {
  const err = (text: string) => io.progress.write(text);
  let options: SearchOptions;
  try {
    const parsed = await parseSearchArgs(args);
    if (parsed === "help") {
      io.stdout(USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`search: ${error.message}\n${USAGE.split("\n")[0]}\n`);
    return 2;
  }
  const renderer = progressRenderer(io.progress);
  try {
    if (options.rerank !== null || options.threads !== null) {
      const engine = await initEngine(options.threads === null ? {} : { threads: options.threads });
      err(`engine: ${describeEngine(engine)}\n`);
    }
    const source = await dataSource(options.data);
    const split: LoadedSplit = await loadSplit(source, options.split);
    err(`data: ${split.corpus.length} documents, ${split.queries.length} ${split.split} queries\n`);
    const first: FirstStage = options.model === null
      ? bm25Retriever()
      : await modelRetriever(options.model);
    const retriever: Retriever = options.rerank === null
      ? first
      : await rerankRetriever(first, options.rerank, options.depth, options.rerankEngine);
    err(`retriever: ${describeRetriever(retriever)}\n`);
    const resolved = { ...options, data: source, retriever };
    const configPath = `${options.run}.config.json`;
    const result = await evaluateRetriever(retriever, split, options.measures, {
      runPath: options.run,
      k: options.k,
      ...(options.threads === null ? {} : { intraOpThreads: options.threads }),
      latency: options.latencyQueries === 0 ? false : { maxQueries: options.latencyQueries },
      onProgress: renderer.onProgress,
    });
    renderer.finish();
    await writeFileAtomic(configPath, JSON.stringify(resolved, null, 2) + "\n");
    const params = await parameters(retriever);
    if (options.json) io.stdout(JSON.stringify(jsonSummary(result, params), null, 2));
    else for (const line of textLines(result, params)) io.stdout(line);
    return 0;
  } catch (error) {
    renderer.finish();
    err(`search: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
