/**
 * The loss recipe: readonly data naming each weighted term of the distillation objective
 * (one-hot, score KD, Margin-MSE, embedding matching), its defaults, validation and canonical
 * JSON form (for hashing and storing).
 *
 * @module
 */

import { match } from "ts-pattern";
import { EMBED_MATCH_EPS, type EmbedDistance } from "./embed_match.ts";
import {
  checkTemperature,
  SCORE_KD_DEFAULTS,
  type ScoreKdForm,
  type ScoreKdRescale,
} from "./score_kd.ts";
import { canonicalJson } from "../../io/mod.ts";

/** Fields every term has: a unique name (for logging) and a weight (default 1.0, the paper's). */
interface TermBase {
  /** Unique within the recipe; defaults: `one-hot`, `score-kd`, `margin-mse`, `embed-<side>`. */
  readonly name?: string;
  /** Finite, >= 0; default 1 (EmbedDistill's default; 5.0 for its smallest student with QGen). */
  readonly weight?: number;
}

/** The supervised in-batch softmax cross-entropy (Eq. 9). */
export interface OneHotTerm extends TermBase {
  /** Discriminant. */
  readonly kind: "one-hot";
}

/** Score distillation (Eq. 11); temperatures 1, `cross-entropy`, no rescale by default. */
export interface ScoreKdTerm extends TermBase {
  /** Discriminant. */
  readonly kind: "score-kd";
  /** tau_t (default 1). */
  readonly teacherTemperature?: number;
  /** tau_s (default 1). */
  readonly studentTemperature?: number;
  /** Default `cross-entropy` (Eq. 11 as written). */
  readonly form?: ScoreKdForm;
  /** Default `none`. */
  readonly rescale?: ScoreKdRescale;
}

/** Margin-MSE on the score matrices (Hofstätter et al. 2020). */
export interface MarginMseTerm extends TermBase {
  /** Discriminant. */
  readonly kind: "margin-mse";
}

/** Embedding matching, query side (Eq. 7) or document side (Eq. 8); distance `l2` by default. */
export interface EmbedMatchTerm extends TermBase {
  /** Discriminant. */
  readonly kind: "embed-match";
  /** `query` (Eq. 7) or `document` (Eq. 8). */
  readonly side: "query" | "document";
  /** Default `l2` (the paper's plain L2 norm). */
  readonly distance?: EmbedDistance;
  /** eps of the `l2` distance (default {@link EMBED_MATCH_EPS}). */
  readonly eps?: number;
}

/** One term of the objective. */
export type LossTerm = OneHotTerm | ScoreKdTerm | MarginMseTerm | EmbedMatchTerm;

/** A weighted sum of named terms. */
export interface LossRecipe {
  /** The terms, each with a unique name. */
  readonly terms: readonly LossTerm[];
}

/** A term with every default filled in. */
export type ResolvedLossTerm =
  | Required<OneHotTerm>
  | Required<ScoreKdTerm>
  | Required<MarginMseTerm>
  | Required<EmbedMatchTerm>;

/** A recipe with defaults filled in and terms sorted by name (the order they are summed in). */
export interface ResolvedRecipe {
  /** Resolved terms, sorted by name. */
  readonly terms: readonly ResolvedLossTerm[];
}

const DISTANCES: readonly string[] = ["l2", "mse", "cosine"];
const FORMS: readonly string[] = ["cross-entropy", "kl"];
const RESCALES: readonly string[] = ["none", "t-squared"];
const SIDES: readonly string[] = ["query", "document"];

function oneOf<T extends string>(value: unknown, allowed: readonly string[], what: string): T {
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw new TypeError(
      `Cannot use loss recipe: ${what} must be one of ${
        allowed.map((a) => `"${a}"`).join(", ")
      }, found ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

function finiteNumber(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(
      `Cannot use loss recipe: ${what} must be a finite number, found ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function resolveTerm(term: LossTerm): ResolvedLossTerm {
  const raw = term as unknown as Record<string, unknown>;
  const kind = oneOf<LossTerm["kind"]>(
    raw.kind,
    ["one-hot", "score-kd", "margin-mse", "embed-match"],
    "a term's kind",
  );
  const base = (defaultName: string, allowed: readonly string[]) => {
    const unknown = Object.keys(raw).filter((k) =>
      !["kind", "name", "weight", ...allowed].includes(k)
    );
    if (unknown.length > 0) {
      throw new TypeError(
        `Cannot use loss recipe: a "${kind}" term has unknown field(s) ${
          unknown.map((k) => `"${k}"`).join(", ")
        }`,
      );
    }
    const name = raw.name ?? defaultName;
    if (typeof name !== "string" || name.length === 0) {
      throw new TypeError(
        `Cannot use loss recipe: a term's name must be a non-empty string, found ${
          JSON.stringify(name)
        }`,
      );
    }
    const weight = finiteNumber(raw.weight ?? 1, `the weight of term "${name}"`);
    if (weight < 0) {
      throw new RangeError(
        `Cannot use loss recipe: the weight of term "${name}" must be >= 0, found ${weight}`,
      );
    }
    return { name, weight };
  };
  return match(kind)
    .returnType<ResolvedLossTerm>()
    .with("one-hot", () => ({ kind: "one-hot", ...base("one-hot", []) }))
    .with("margin-mse", () => ({ kind: "margin-mse", ...base("margin-mse", []) }))
    .with("score-kd", () => {
      const b = base("score-kd", ["teacherTemperature", "studentTemperature", "form", "rescale"]);
      const teacherTemperature = finiteNumber(
        raw.teacherTemperature ?? SCORE_KD_DEFAULTS.teacherTemperature,
        `the teacher temperature of term "${b.name}"`,
      );
      const studentTemperature = finiteNumber(
        raw.studentTemperature ?? SCORE_KD_DEFAULTS.studentTemperature,
        `the student temperature of term "${b.name}"`,
      );
      checkTemperature(teacherTemperature, `term "${b.name}" teacher`);
      checkTemperature(studentTemperature, `term "${b.name}" student`);
      return {
        kind: "score-kd",
        ...b,
        teacherTemperature,
        studentTemperature,
        form: oneOf<ScoreKdForm>(raw.form ?? SCORE_KD_DEFAULTS.form, FORMS, `form of "${b.name}"`),
        rescale: oneOf<ScoreKdRescale>(
          raw.rescale ?? SCORE_KD_DEFAULTS.rescale,
          RESCALES,
          `rescale of "${b.name}"`,
        ),
      };
    })
    .with("embed-match", () => {
      const side = oneOf<"query" | "document">(raw.side, SIDES, "an embed-match term's side");
      const b = base(`embed-${side}`, ["side", "distance", "eps"]);
      const eps = finiteNumber(raw.eps ?? EMBED_MATCH_EPS, `the eps of term "${b.name}"`);
      if (eps <= 0) {
        throw new RangeError(
          `Cannot use loss recipe: the eps of term "${b.name}" must be > 0, found ${eps}`,
        );
      }
      return {
        kind: "embed-match",
        ...b,
        side,
        distance: oneOf<EmbedDistance>(raw.distance ?? "l2", DISTANCES, `distance of "${b.name}"`),
        eps,
      };
    })
    .exhaustive();
}

/**
 * Fill in defaults, validate (TypeError for unknown kinds/fields/values, RangeError for bad
 * numbers or duplicate names) and sort the terms by name.
 */
export function resolveRecipe(recipe: LossRecipe): ResolvedRecipe {
  if (!Array.isArray(recipe.terms) || recipe.terms.length === 0) {
    throw new TypeError("Cannot use loss recipe: expected a non-empty array of terms");
  }
  const terms = recipe.terms.map(resolveTerm);
  const seen = new Set<string>();
  for (const term of terms) {
    if (seen.has(term.name)) {
      throw new RangeError(
        `Cannot use loss recipe: term name "${term.name}" is used twice (name one of them)`,
      );
    }
    seen.add(term.name);
  }
  return { terms: terms.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}

/**
 * The canonical JSON of a recipe: defaults filled, terms sorted by name, object keys sorted, no
 * whitespace. Recipes that compute the same objective (same terms, weights and options, in any
 * order, defaults spelled out or not) give the same string; hash it to name results.
 *
 * @example
 * ```ts
 * canonicalRecipe({ terms: [{ kind: "one-hot" }] }); // '{"terms":[{"kind":"one-hot","name":"one-hot","weight":1}]}'
 * ```
 */
export function canonicalRecipe(recipe: LossRecipe): string {
  return canonicalJson(resolveRecipe(recipe));
}

/**
 * Parse a recipe from JSON text (e.g. a stored canonical form or a config file) and resolve it;
 * throws SyntaxError on malformed JSON and TypeError / RangeError as {@link resolveRecipe}.
 */
export function parseRecipe(text: string): ResolvedRecipe {
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`Cannot parse loss recipe: expected a JSON object with "terms"`);
  }
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).filter((k) => k !== "terms");
  if (extra.length > 0) {
    throw new TypeError(
      `Cannot parse loss recipe: unknown field(s) ${extra.map((k) => `"${k}"`).join(", ")}`,
    );
  }
  const terms = record.terms;
  if (!Array.isArray(terms) || terms.some((t) => t === null || typeof t !== "object")) {
    throw new TypeError(`Cannot parse loss recipe: "terms" must be an array of objects`);
  }
  return resolveRecipe({ terms: terms as LossTerm[] });
}
