// deno-lint-ignore-file no-console
/**
 * CLI: how much of a cross-encoder's ranking survives when only its pooled embeddings are used as
 * a dual encoder (query-alone and document-alone dual pooling), beside the CE re-ranking the same
 * first-stage candidates; the agreement of the two scores and the geometry (collapse, effective
 * rank) of the pooled matrices. The check behind an asymmetric student of a CE teacher: its frozen
 * documents are these document-alone embeddings.
 *
 * Usage: `deno task diagnose-ce --model CE_DIR --data ID|DIR [--first-stage bm25|DIR]`
 *
 * @module
 */

import { join } from "node:path";
import { loadSplit } from "../data/mod.ts";
import { diagnoseCrossEncoder, type Geometry } from "../distill/mod.ts";
import { describeEngine, initEngine } from "../engine/mod.ts";
import { formatFixed } from "../eval/mod.ts";
import { loadModelDir } from "../models/mod.ts";
import { DEFAULT_TITLE_JOIN, documentText } from "../models/onnx/mod.ts";
import { bm25Retriever, evaluateRetriever, modelRetriever } from "../retrieval/mod.ts";
import { loadTokenizerJson, WordPieceTokenizer } from "../text/mod.ts";
import { parseCommand, userPath } from "./command_args.ts";
import { dataSource } from "./data_arg.ts";
import { ProgressBar, type ProgressSink, stderrSink } from "./progress.ts";
import { UsageError } from "./usage_error.ts";

const USAGE = `Usage: deno task diagnose-ce --model DIR --data ID|DIR [options]

Use a cross-encoder's pooled embeddings as a dual encoder: each query pooled alone ([CLS] q [SEP]),
each document alone ([CLS] [SEP] d [SEP]), scored by inner product over the whole corpus, and over
the first stage's candidates beside the CE's own re-ranking of them. Reports how much of the CE's
re-ranking quality the embeddings keep (EmbedDistill's case for dual pooling: a CE whose pooled
embeddings rank well has a geometry a dual-encoder student can match; an asymmetric student of it
scores against these document embeddings), the per-query agreement of the two scores and whether
the pooled embeddings collapsed (mean cosine, effective rank). A [CLS]-scorer CE is pooled the same
way (its segment means were never trained: the baseline).

Options:
      --model DIR            cross-encoder model directory (config.json, model.safetensors,
                             tokenizer.json) (required)
      --data ID|DIR          dataset id of datasets.lock or a BEIR folder (required)
      --split NAME           split (default test)
      --first-stage bm25|DIR candidates: BM25 (default) or a dual-encoder model directory
      --depth N              candidates per query (default 100)
  -m, --measure M            measure, repeatable; the first is compared (default RR@10, nDCG@10)
      --threads N            engine threads (default all cores)
      --json                 print JSON instead of key<TAB>value lines
      --config FILE          JSON object of these options; flags override it
  -h, --help                 show this help

Output: key<TAB>value lines: rerank/<measure>, alone-rerank/<measure>, alone-retrieval/<measure>,
retained (alone retrieval / CE re-ranking on the first measure), agreement pearson / spearman,
queries|documents mean-cosine / effective-rank / top-share / dims.
Exit status: 0 ok, 1 failure, 2 usage error.`;

const OPTIONS = {
  model: { type: "string" },
  data: { type: "string" },
  split: { type: "string" },
  "first-stage": { type: "string" },
  depth: { type: "string" },
  measure: { type: "string", short: "m", multiple: true },
  threads: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The parsed command line. */
export interface DiagnoseOptions {
  readonly model: string;
  readonly data: string;
  readonly split: string;
  readonly firstStage: "bm25" | string;
  readonly depth: number;
  readonly measures: readonly string[];
  readonly threads: number | null;
  readonly json: boolean;
}

function integer(value: unknown, flag: string, fallback: number | null): number | null {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`--${flag} must be an integer >= 1, found "${text}"`);
  }
  return Number(text);
}

/** Parse the command line (and `--config`); "help" for -h. UsageError otherwise. */
export async function parseDiagnoseArgs(
  args: readonly string[],
): Promise<DiagnoseOptions | "help"> {
  const { values } = await parseCommand(args, OPTIONS);
  if (values["help"] === true) return "help";
  const str = (k: string) => typeof values[k] === "string" ? values[k] as string : undefined;
  const model = str("model");
  if (model === undefined) throw new UsageError("missing --model DIR (a cross-encoder)");
  const data = str("data");
  if (data === undefined) throw new UsageError("missing --data ID|DIR");
  const first = str("first-stage") ?? "bm25";
  const measures = Array.isArray(values["measure"])
    ? values["measure"].map(String)
    : ["RR@10", "nDCG@10"];
  return {
    model: userPath(model),
    data,
    split: str("split") ?? "test",
    firstStage: first === "bm25" ? "bm25" : userPath(first),
    depth: integer(values["depth"], "depth", 100)!,
    measures,
    threads: integer(values["threads"], "threads", null),
    json: values["json"] === true,
  };
}

function geometryLines(side: string, g: Geometry): string[] {
  return [
    `${side}\tmean-cosine\t${formatFixed(g.meanCosine, 4)}`,
    `${side}\teffective-rank\t${formatFixed(g.effectiveRank, 1)}`,
    `${side}\ttop-share\t${formatFixed(g.topShare, 4)}`,
    `${side}\tdims\t${g.dims}`,
  ];
}

/** Run the CLI with `args`; returns the exit status. */
export async function main(
  args: string[],
  io: { readonly stdout: (line: string) => void; readonly progress: ProgressSink } = {
    stdout: (line) => console.log(line),
    progress: stderrSink(),
  },
): Promise<number> {
  const err = (text: string) => io.progress.write(text);
  let options: DiagnoseOptions;
  try {
    const parsed = await parseDiagnoseArgs(args);
    if (parsed === "help") {
      io.stdout(USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`diagnose-ce: ${error.message}\n${USAGE.split("\n")[0]}\n`);
    return 2;
  }
  // The bar of the phase in progress (one per phase: queries, documents, pairs).
  const shown: { phase: string; bar: ProgressBar | null } = { phase: "", bar: null };
  try {
    const engine = await initEngine(options.threads === null ? {} : { threads: options.threads });
    err(`engine: ${describeEngine(engine)}\n`);
    const { spec, weights } = await loadModelDir(options.model);
    if (spec.kind !== "cross") {
      throw new TypeError(
        `Cannot diagnose "${options.model}": it holds a ${spec.kind} encoder, expected a cross-encoder`,
      );
    }
    const tokenizer = new WordPieceTokenizer(
      await loadTokenizerJson(join(options.model, "tokenizer.json")),
    );
    const split = await loadSplit(await dataSource(options.data), options.split);
    err(`data: ${split.corpus.length} documents, ${split.queries.length} ${split.split} queries\n`);
    const first = options.firstStage === "bm25"
      ? bm25Retriever()
      : await modelRetriever(options.firstStage);
    const candidates = await evaluateRetriever(first, split, options.measures, {
      k: options.depth,
      latency: false,
    });
    err(`first stage: ${options.firstStage}, top ${options.depth}\n`);
    const result = diagnoseCrossEncoder({
      teacher: { spec, weights },
      tokens: {
        queries: split.queries.map((q) => tokenizer.tokenIds(q.text)),
        documents: split.corpus.map((d) => tokenizer.tokenIds(documentText(d, DEFAULT_TITLE_JOIN))),
        clsId: tokenizer.clsId,
        sepId: tokenizer.sepId,
      },
      queryIds: split.queries.map((q) => q.id),
      documentIds: split.corpus.map((d) => d.id),
      qrels: split.qrels,
      candidates: candidates.run,
      measures: options.measures,
      onProgress: (name, done, total) => {
        if (name !== shown.phase) {
          shown.bar?.finish();
          shown.phase = name;
          shown.bar = new ProgressBar(io.progress, { label: name });
        }
        shown.bar?.update({ done, total });
      },
    });
    shown.bar?.finish();
    if (options.json) {
      io.stdout(JSON.stringify({ ...result, firstStage: candidates.aggregates }, null, 2));
      return 0;
    }
    const lines = [`scorer\t${result.scorer}`, `depth\t${result.depth}`];
    for (
      const [name, metrics] of [
        ["first-stage", candidates.aggregates],
        ["rerank", result.rerank],
        ["alone-rerank", result.aloneRerank],
        ["alone-retrieval", result.aloneRetrieval],
      ] as const
    ) {
      for (const [measure, value] of Object.entries(metrics)) {
        lines.push(`${name}/${measure}\t${formatFixed(value, 4)}`);
      }
    }
    lines.push(`retained\t${formatFixed(result.retained, 4)}`);
    lines.push(`agreement\tpearson\t${formatFixed(result.agreement.pearson, 4)}`);
    lines.push(`agreement\tspearman\t${formatFixed(result.agreement.spearman, 4)}`);
    lines.push(...geometryLines("queries", result.queries));
    lines.push(...geometryLines("documents", result.documents));
    for (const line of lines) io.stdout(line);
    return 0;
  } catch (error) {
    shown.bar?.finish();
    err(`diagnose-ce: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
