/**
 * The bench-case registry: every hot path `deno task bench:check` times, each with its reference
 * (sgemm or scalar loop) and threshold. A case is `bench-case` data with a `prepare`; the harness
 * (bench/check) runs it interleaved with its reference.
 *
 * @module
 */

import type { BenchCase } from "./case.ts";
import { BM25_INDEX_CASE, BM25_SEARCH_CASE } from "./bm25_case.ts";
import { ORT_ENCODE_CASE, TFJS_ENCODE_CASE } from "./encoder_case.ts";
import { EVAL_CASE } from "./eval_case.ts";
import { QUERY_LATENCY_CASE } from "./latency_case.ts";
import { STORE_CASE } from "./store_case.ts";
import { TEXT_CASE } from "./text_case.ts";
import { TOPK_CASE } from "./topk_case.ts";
import { STUDENT_STEP_CASE, TEACHER_STEP_CASE } from "./train_case.ts";

export type { BenchCase, CaseContext, PreparedCase, ReferenceKind } from "./case.ts";
export { type Reference, reference, scalarReference } from "./references.ts";
export { type BenchCorpus, benchCorpus, generatedCorpus } from "./corpus.ts";
export { EVAL_MEASURES, type EvalFiles, writeEvalFiles } from "./eval_case.ts";
export { onnxBenchEncoder, seededTokenIds } from "./encoder_case.ts";
export { buildBm25 } from "./bm25_case.ts";
export { MINI_TEACHER, type TrainStepWorkload, trainStepWorkload } from "./train_case.ts";

/** Every case, in the order the check runs them. */
export const BENCH_CASES: readonly BenchCase[] = [
  EVAL_CASE,
  TEXT_CASE,
  BM25_INDEX_CASE,
  BM25_SEARCH_CASE,
  TFJS_ENCODE_CASE,
  ORT_ENCODE_CASE,
  STUDENT_STEP_CASE,
  TEACHER_STEP_CASE,
  TOPK_CASE,
  QUERY_LATENCY_CASE,
  STORE_CASE,
];

/** The cases named `names` (all when empty), in registry order; RangeError naming unknown ones. */
export function selectCases(names: readonly string[], quick: boolean): BenchCase[] {
  const unknown = names.filter((n) => !BENCH_CASES.some((c) => c.name === n));
  if (unknown.length > 0) {
    throw new RangeError(
      `Unknown bench ${unknown.map((n) => `"${n}"`).join(", ")}: expected one of ${
        BENCH_CASES.map((c) => c.name).join(", ")
      }`,
    );
  }
  return BENCH_CASES.filter((c) =>
    names.length > 0 ? names.includes(c.name) : quick ? c.quick : true
  );
}
