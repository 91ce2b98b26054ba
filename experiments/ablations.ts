/**
 * The ablations: one factor at a time around table2's 1/10 asymmetric EmbedDistill student (score
 * KD + query embedding matching, L2, weight 1, temperature 1, random init, no query generation):
 * query generation off/on and its amount (1/3/10 per document), the embedding-matching distance
 * (L2 / squared L2 as MSE / cosine) and weight (0.1/1/5), the score-KD temperature (1/2/4), and,
 * on a symmetric 1/10 student, query-only vs query + document matching. Each row names the row
 * it is compared with (`reference`).
 *
 * Initialisation and projection cannot be ablated on the 1/10 student: a teacher-layer subset
 * has the teacher's width, and a student without projection must have it too, while the 1/10
 * student is a quarter of it. Those rows use the 2/3 size's depth at the teacher's width (at mini
 * and full exactly the 2/3 student's shape): random init without projection (the reference),
 * random init with a projection, and the teacher's first layers.
 *
 * Score-KD temperature convention (stored with every cell in its settings): the teacher's and the
 * student's temperatures are equal (tau_t = tau_s = T), the loss is Eq. 11's cross-entropy
 * multiplied by T^2 (Hinton et al.'s rescale), so T = 1 is the reference row itself.
 *
 * @module
 */

import type { LossRecipe } from "../src/distill/mod.ts";
import type { ExperimentDefinition, Method, SizeName, StudentMode } from "./definition.ts";
import type { Claim } from "./paper.ts";
import { TABLE2 } from "./table2.ts";

const asymmetric: readonly StudentMode[] = ["asymmetric"];
const smallest: readonly SizeName[] = ["1-10"];

/**
 * One asymmetric 1/10 row (the same loss for both modes; only the listed ones run), compared with
 * the reference EmbedDistill row unless `extra` says otherwise.
 */
function row(
  id: string,
  label: string,
  loss: LossRecipe,
  extra: Partial<Method> = {},
): Method {
  return {
    id,
    label,
    loss: { asymmetric: loss, symmetric: loss },
    queryGeneration: false,
    modes: asymmetric,
    role: "baseline",
    sizes: smallest,
    reference: "embeddistill",
    ...extra,
  };
}

const scoreKd = { kind: "score-kd" } as const;
const queryMatch = { kind: "embed-match", side: "query" } as const;
const documentMatch = { kind: "embed-match", side: "document" } as const;
const EMBEDDISTILL: LossRecipe = { terms: [scoreKd, queryMatch] };

const qgenRows = [1, 3, 10].map((n) =>
  row(`qgen-${n}`, `+ query generation, ${n} per document`, EMBEDDISTILL, {
    queryGeneration: true,
    queryGenerationPerDocument: n,
  })
);

const distanceRows = [
  ["mse", "squared L2 (MSE over dimensions)"],
  ["cosine", "cosine distance"],
].map(([distance, label]) =>
  row(`distance-${distance}`, `embedding matching: ${label}`, {
    terms: [scoreKd, { ...queryMatch, distance: distance as "mse" | "cosine" }],
  })
);

const weightRows = [0.1, 5].map((weight) =>
  // Cell ids are [a-z0-9+-]: 0.1 is spelled 0-1.
  row(`weight-${String(weight).replace(".", "-")}`, `embedding matching weight ${weight}`, {
    terms: [scoreKd, { ...queryMatch, weight }],
  })
);

const temperatureRows = [2, 4].map((t) =>
  row(`temperature-${t}`, `score KD at T = ${t} (tau_t = tau_s = T, loss x T^2)`, {
    terms: [
      { ...scoreKd, teacherTemperature: t, studentTemperature: t, rescale: "t-squared" },
      queryMatch,
    ],
  })
);

const symmetricRows: Method[] = [
  withoutReference({
    ...row("symmetric-query", "symmetric: query embedding matching only", EMBEDDISTILL),
    modes: ["symmetric"],
  }),
  row("symmetric-query-document", "symmetric: query + document embedding matching", {
    terms: [scoreKd, queryMatch, documentMatch],
  }, { modes: ["symmetric"], reference: "symmetric-query" }),
];

const teacherWidth: readonly SizeName[] = ["2-3"];
const initRows: Method[] = [
  withoutReference(
    row("teacher-width-random", "teacher width, random init, no projection", EMBEDDISTILL, {
      sizes: teacherWidth,
      student: { width: "teacher", init: "random", projection: false },
    }),
  ),
  row("teacher-width-projection", "teacher width, random init, + projection", EMBEDDISTILL, {
    sizes: teacherWidth,
    student: { width: "teacher", init: "random", projection: true },
    reference: "teacher-width-random",
  }),
  row("teacher-width-layers", "teacher width, init from the teacher's first layers", EMBEDDISTILL, {
    sizes: teacherWidth,
    student: { width: "teacher", init: "teacher-layers", projection: false },
    reference: "teacher-width-random",
  }),
];

/** A row compared with nothing but its own kind (a reference row). */
function withoutReference(m: Method): Method {
  const { reference: _, ...rest } = m;
  return rest;
}

/** Every ablation row, the reference (table2's 1/10 asymmetric EmbedDistill) first. */
export const ABLATION_METHODS: readonly Method[] = [
  withoutReference(
    row("embeddistill", "EmbedDistill (reference: L2, weight 1, T = 1)", EMBEDDISTILL),
  ),
  ...qgenRows,
  ...distanceRows,
  ...weightRows,
  ...temperatureRows,
  ...symmetricRows,
  ...initRows,
];

const cell = (method: string, size: string, mode: string) => ({ method, size, mode });

/** The claims the ablations check. */
const ABLATION_CLAIMS: readonly Claim[] = [
  ...[1, 3, 10].map((n): Claim => ({
    kind: "better",
    id: `query-generation-${n}-helps-1-10`,
    statement: `Query generation (${n} per document) helps the smallest student (1/10, asymmetric)`,
    chain: [cell(`qgen-${n}`, "1-10", "asymmetric"), cell("embeddistill", "1-10", "asymmetric")],
  })),
  {
    kind: "better",
    id: "document-matching-helps-symmetric-1-10",
    statement: "Matching document embeddings too helps the symmetric student (1/10)",
    chain: [
      cell("symmetric-query-document", "1-10", "symmetric"),
      cell("symmetric-query", "1-10", "symmetric"),
    ],
  },
];

/** The definition of the ablations (EXPERIMENTS.md "Data per table"). */
export const ABLATIONS: ExperimentDefinition = {
  id: "ablations",
  title: "Ablations: one factor at a time on the 1/10 asymmetric EmbedDistill student",
  shows: "Around table2's 1/10 asymmetric EmbedDistill student, one factor changes per row: " +
    "query generation and its amount, the embedding-matching distance and weight, the score-KD " +
    "temperature, query-only vs query + document matching (symmetric student), and, at the " +
    "teacher's width, projection and initialisation from teacher layers. Each row is compared " +
    "with its reference row.",
  data: TABLE2.data,
  teacher: TABLE2.teacher,
  sizes: ["1-10", "2-3"],
  methods: ABLATION_METHODS,
  baseline: "embeddistill",
  measures: TABLE2.measures,
  seeds: 1,
  claims: ABLATION_CLAIMS,
};
