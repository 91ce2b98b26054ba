/**
 * The Measure value: which ranking measure, at which cutoff, with which relevance threshold,
 * missing-query policy and identical-id filter, and its one canonical string form.
 *
 * Canonical syntax (ir_measures style): `Name(options)@cutoff`, options shown only when they
 * differ from the default and always in the order `rel`, `missing`, `drop_identical_ids`:
 *
 * - `nDCG@10`, `RR@10`, `R@1000`, `P@10`, `AP`, `AP@100`, `Judged@10`, `Success@20`
 * - `R(rel=2)@1000`: documents labelled >= 2 are relevant (trec_eval `-l 2`; default 1)
 * - `nDCG(missing=skip)@10`: average over queries present in both run and qrels (trec_eval
 *   without `-c`, BEIR); the default `missing=zero` counts qrels queries absent from the run as
 *   0 (trec_eval `-c`, MS MARCO, Pyserini)
 * - `nDCG(drop_identical_ids=true)@10`: drop retrieved documents whose id equals the query id
 *   (BEIR's evaluator does so by default)
 *
 * `parseMeasure` also accepts the options after the cutoff (`R@1000(rel=2)`) and explicit
 * default options; `formatMeasure` always prints the canonical form, which results are stored
 * under.
 *
 * @module
 */

/** The measure families, named as in ir_measures. */
export type MeasureKind = "nDCG" | "RR" | "R" | "P" | "AP" | "Judged" | "Success";

/** What a query in the qrels but absent from the run contributes to the mean. */
export type MissingQueries = "zero" | "skip";

/** One fully specified measure. Build with {@linkcode measure} or {@linkcode parseMeasure}. */
export interface Measure {
  /** The measure family. */
  readonly kind: MeasureKind;
  /** Rank cutoff k (positive integer), or undefined for the whole ranking. */
  readonly cutoff: number | undefined;
  /**
   * Relevance threshold for binary measures (trec_eval `-l`): a label >= rel is relevant.
   * Always 1 for nDCG (gain = label) and Judged (any judgment counts).
   */
  readonly rel: number;
  /** `zero` (trec_eval `-c`, the default) or `skip` (mean over queries in both). */
  readonly missing: MissingQueries;
  /** Drop retrieved documents whose id equals the query id before ranking (BEIR). */
  readonly dropIdenticalIds: boolean;
}

/** Static facts about one measure family. */
export interface MeasureInfo {
  /** Whether `@k` is required, optional or meaningless. */
  readonly cutoff: "required" | "optional";
  /** Whether the relevance threshold `rel` applies. */
  readonly takesRel: boolean;
  /** One line describing it, with its trec_eval or ir_measures source. */
  readonly description: string;
}

/** Every measure family with its definition source. */
export const MEASURES: Readonly<Record<MeasureKind, MeasureInfo>> = {
  nDCG: {
    cutoff: "optional",
    takesRel: false,
    description:
      "normalised DCG, gain = label, log2(rank + 1) discount, ideal from all judged labels (trec_eval ndcg_cut)",
  },
  RR: {
    cutoff: "optional",
    takesRel: true,
    description:
      "reciprocal rank of the first relevant document in the top k (trec_eval recip_rank -M k)",
  },
  R: {
    cutoff: "required",
    takesRel: true,
    description: "relevant documents in the top k / all relevant documents (trec_eval recall_k)",
  },
  P: {
    cutoff: "required",
    takesRel: true,
    description: "relevant documents in the top k / k (trec_eval P_k)",
  },
  AP: {
    cutoff: "optional",
    takesRel: true,
    description:
      "average precision: precision at each relevant rank (<= k) summed / all relevant (trec_eval map, map_cut_k)",
  },
  Judged: {
    cutoff: "required",
    takesRel: false,
    description: "judged documents in the top k / min(k, retrieved) (ir_measures Judged)",
  },
  Success: {
    cutoff: "required",
    takesRel: true,
    description: "1 if a relevant document is in the top k, else 0 (trec_eval success_k)",
  },
};

/** The measure names in documentation order. */
export const MEASURE_KINDS: readonly MeasureKind[] = Object.keys(MEASURES) as MeasureKind[];

/** Defaults of the optional parts of a {@linkcode Measure}. */
export const MEASURE_DEFAULTS = {
  rel: 1,
  missing: "zero",
  dropIdenticalIds: false,
} as const satisfies Pick<Measure, "rel" | "missing" | "dropIdenticalIds">;

/** Optional parts accepted by {@linkcode measure}. */
export interface MeasureOptions {
  /** Rank cutoff k. */
  readonly cutoff?: number;
  /** Relevance threshold (binary measures only). */
  readonly rel?: number;
  /** Missing-query policy. */
  readonly missing?: MissingQueries;
  /** Identical-id filter. */
  readonly dropIdenticalIds?: boolean;
}

function isKind(name: string): name is MeasureKind {
  return Object.hasOwn(MEASURES, name);
}

/**
 * Build a validated measure.
 *
 * @throws {RangeError} when k or rel is not a positive integer
 * @throws {TypeError} when a cutoff is missing where required, or rel is given to nDCG/Judged
 */
export function measure(kind: MeasureKind, options: MeasureOptions = {}): Measure {
  if (!isKind(kind)) throw unknownName(String(kind));
  const info = MEASURES[kind];
  const cutoff = options.cutoff;
  if (cutoff !== undefined && (!Number.isSafeInteger(cutoff) || cutoff <= 0)) {
    throw new RangeError(
      `Cannot build measure ${kind}: cutoff must be a positive integer, found ${cutoff}`,
    );
  }
  if (cutoff === undefined && info.cutoff === "required") {
    throw new TypeError(`Cannot build measure ${kind}: a cutoff is required (e.g. "${kind}@10")`);
  }
  const rel = options.rel ?? MEASURE_DEFAULTS.rel;
  if (!Number.isSafeInteger(rel) || rel < 1) {
    throw new RangeError(
      `Cannot build measure ${kind}: rel must be a positive integer, found ${rel}`,
    );
  }
  if (!info.takesRel && rel !== MEASURE_DEFAULTS.rel) {
    throw new TypeError(`Cannot build measure ${kind}: it takes no relevance threshold (rel)`);
  }
  const missing = options.missing ?? MEASURE_DEFAULTS.missing;
  if (missing !== "zero" && missing !== "skip") {
    throw new TypeError(
      `Cannot build measure ${kind}: missing must be "zero" or "skip", found "${missing}"`,
    );
  }
  return {
    kind,
    cutoff,
    rel,
    missing,
    dropIdenticalIds: options.dropIdenticalIds ?? MEASURE_DEFAULTS.dropIdenticalIds,
  };
}

/** Return `m` with the options that apply to it replaced (rel is ignored where it does not apply). */
export function withOptions(m: Measure, options: Omit<MeasureOptions, "cutoff">): Measure {
  const rel = MEASURES[m.kind].takesRel ? options.rel ?? m.rel : m.rel;
  return measure(m.kind, {
    ...(m.cutoff === undefined ? {} : { cutoff: m.cutoff }),
    rel,
    missing: options.missing ?? m.missing,
    dropIdenticalIds: options.dropIdenticalIds ?? m.dropIdenticalIds,
  });
}

/** The canonical string of a measure, e.g. `nDCG@10` or `R(rel=2,missing=skip)@1000`. */
export function formatMeasure(m: Measure): string {
  const options: string[] = [];
  if (m.rel !== MEASURE_DEFAULTS.rel) options.push(`rel=${m.rel}`);
  if (m.missing !== MEASURE_DEFAULTS.missing) options.push(`missing=${m.missing}`);
  if (m.dropIdenticalIds !== MEASURE_DEFAULTS.dropIdenticalIds) {
    options.push(`drop_identical_ids=${m.dropIdenticalIds}`);
  }
  const params = options.length > 0 ? `(${options.join(",")})` : "";
  const cutoff = m.cutoff === undefined ? "" : `@${m.cutoff}`;
  return `${m.kind}${params}${cutoff}`;
}

function unknownName(name: string): SyntaxError {
  return new SyntaxError(
    `Cannot parse measure "${name}": unknown name, expected one of ${MEASURE_KINDS.join(", ")}`,
  );
}

const SHAPE = /^([A-Za-z]+)(?:\(([^()]*)\))?(?:@([^()]*))?(?:\(([^()]*)\))?$/;

/**
 * Parse a measure string (`nDCG@10`, `R(rel=2)@1000`, `R@1000(rel=2)`, `AP`).
 *
 * @throws {SyntaxError} on an unknown name (the message lists the valid ones) or bad syntax
 * @throws {RangeError} when k <= 0, k is not an integer, or rel is not a positive integer
 * @throws {TypeError} when a required cutoff is missing or an option does not apply
 */
export function parseMeasure(text: string): Measure {
  const match = SHAPE.exec(text.trim());
  if (match === null) {
    throw new SyntaxError(
      `Cannot parse measure "${text}": expected Name, Name@k or Name(option=value,...)@k`,
    );
  }
  const [, name = "", before, cutoffText, after] = match;
  if (!isKind(name)) throw unknownName(name);
  if (before !== undefined && after !== undefined) {
    throw new SyntaxError(`Cannot parse measure "${text}": options given twice`);
  }
  let cutoff: number | undefined;
  if (cutoffText !== undefined) {
    if (!/^[+-]?\d+(\.\d*)?$/.test(cutoffText)) {
      throw new SyntaxError(
        `Cannot parse measure "${text}": expected an integer cutoff after "@", found "${cutoffText}"`,
      );
    }
    cutoff = Number(cutoffText);
    if (!Number.isSafeInteger(cutoff) || cutoff <= 0) {
      throw new RangeError(
        `Cannot parse measure "${text}": cutoff must be a positive integer, found ${cutoffText}`,
      );
    }
  }
  const options: { -readonly [K in keyof MeasureOptions]: MeasureOptions[K] } = {};
  if (cutoff !== undefined) options.cutoff = cutoff;
  const params = before ?? after ?? "";
  const seen = new Set<string>();
  for (const part of params.split(",")) {
    if (part.trim() === "") {
      if (params.trim() === "") continue;
      throw new SyntaxError(`Cannot parse measure "${text}": empty option`);
    }
    const eq = part.indexOf("=");
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? "" : part.slice(eq + 1).trim();
    if (seen.has(key)) {
      throw new SyntaxError(`Cannot parse measure "${text}": option "${key}" given twice`);
    }
    seen.add(key);
    switch (key) {
      case "rel": {
        if (!/^[+-]?\d+$/.test(value)) {
          throw new SyntaxError(
            `Cannot parse measure "${text}": expected an integer rel, found "${value}"`,
          );
        }
        options.rel = Number(value);
        break;
      }
      case "missing": {
        if (value !== "zero" && value !== "skip") {
          throw new SyntaxError(
            `Cannot parse measure "${text}": missing must be "zero" or "skip", found "${value}"`,
          );
        }
        options.missing = value;
        break;
      }
      case "drop_identical_ids": {
        if (value !== "true" && value !== "false") {
          throw new SyntaxError(
            `Cannot parse measure "${text}": drop_identical_ids must be "true" or "false", found "${value}"`,
          );
        }
        options.dropIdenticalIds = value === "true";
        break;
      }
      default:
        throw new SyntaxError(
          `Cannot parse measure "${text}": unknown option "${key}", expected rel, missing or drop_identical_ids`,
        );
    }
  }
  try {
    return measure(name, options);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new RangeError(`Cannot parse measure "${text}": ${detail(error)}`);
    }
    if (error instanceof TypeError) {
      throw new TypeError(`Cannot parse measure "${text}": ${detail(error)}`);
    }
    throw error;
  }
}

function detail(error: Error): string {
  const colon = error.message.indexOf(": ");
  return colon < 0 ? error.message : error.message.slice(colon + 2);
}
