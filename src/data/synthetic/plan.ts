/**
 * The hidden plan of a synthetic corpus: which concept pair (and, for `nq`, which fact) each query
 * asks about and each document is about, including relevant, partially relevant, distractor, pool
 * and background documents. Internal to the generator.
 *
 * @module
 */

import type { SyntheticSizes, SyntheticVariant } from "./params.ts";
import type { Random } from "./random.ts";
import type { World } from "./world.ts";

/**
 * Why a document was planned (relevance is judged afterwards, exhaustively, from the plan).
 * `pool` documents are drawn like the queries' relevant documents (a concept pair of one topic,
 * in `nq` a fact about it) but about a pair no query asks, and mention no two concepts that a
 * query asks together: they are the unlabeled pool for query generation.
 */
export type DocOrigin = "relevant" | "partial" | "distractor" | "pool" | "background";

/** A planned document: main concepts `a`, `b` (for `nq`: "the a of the b"), side mentions. */
export interface DocPlan {
  readonly topic: number;
  readonly a: number;
  readonly b: number;
  /** Relation stated by the document (`nq`), else -1. */
  readonly relation: number;
  /** Answer of the stated fact (`nq`), else "". */
  readonly answer: string;
  readonly sides: readonly number[];
  readonly origin: DocOrigin;
}

/** A planned query: the concept pair (and for `nq` the relation) it asks about. */
export interface QueryPlan {
  readonly topic: number;
  readonly a: number;
  readonly b: number;
  readonly relation: number;
  readonly answer: string;
}

/** The whole plan. */
export interface CorpusPlan {
  readonly queries: readonly QueryPlan[];
  readonly docs: readonly DocPlan[];
}

/**
 * Probability that a side mention comes from the document's own topic. Low, so that a document
 * about one query concept rarely mentions the other by accident (which would make it partially
 * relevant in the generic variant).
 */
const SAME_TOPIC_SIDE = 0.1;

/** Unordered key of a concept pair. */
export function pairKey(a: number, b: number): string {
  return a < b ? `${a},${b}` : `${b},${a}`;
}

/** Plan queries and documents; throws RangeError if the documents cannot hold the plan. */
export function planCorpus(
  world: World,
  variant: SyntheticVariant,
  sizes: SyntheticSizes,
  rng: Random,
): CorpusPlan {
  const facts = new Map<string, string>();
  const answerOf = (a: number, b: number, r: number): string => {
    if (r < 0) return "";
    const key = `${a}>${b}>${r}`;
    const known = facts.get(key);
    if (known !== undefined) return known;
    const kind = world.relations[r]?.answer;
    const answer = kind === "person"
      ? `${rng.pick(world.firstNames)} ${rng.pick(world.surnames)}`
      : kind === "year"
      ? String(1700 + rng.int(320))
      : String(12 + rng.int(988));
    facts.set(key, answer);
    return answer;
  };
  const isNq = variant.kind === "nq";
  const randomRelation = () => (isNq ? rng.int(world.relations.length) : -1);

  const total = sizes.train + sizes.dev + sizes.test;
  const queryKeys = new Set<string>();
  const queries: QueryPlan[] = [];
  for (let attempt = 0; queries.length < total; attempt++) {
    if (attempt > total * 50) {
      throw new RangeError(`Cannot find "${total}" distinct concept pairs for the queries`);
    }
    const topic = world.topics[rng.int(world.topics.length)]!;
    const a = rng.pick(topic.concepts);
    const b = rng.pick(topic.concepts);
    if (a === b || queryKeys.has(pairKey(a, b))) continue;
    queryKeys.add(pairKey(a, b));
    const relation = randomRelation();
    queries.push({ topic: topic.id, a, b, relation, answer: answerOf(a, b, relation) });
  }

  const askedWith = new Map<number, Set<number>>();
  for (const q of queries) {
    for (const [x, y] of [[q.a, q.b], [q.b, q.a]] as const) {
      const set = askedWith.get(x) ?? new Set<number>();
      set.add(y);
      askedWith.set(x, set);
    }
  }
  const topicOf = (c: number) => world.concepts[c]!.topic;
  /**
   * 1-3 side mentions, none in `exclude`; with `noAskedPair`, none that a query asks together
   * with a concept in `exclude` or with another side.
   */
  const sides = (topic: number, exclude: ReadonlySet<number>, noAskedPair = false): number[] => {
    const out: number[] = [];
    const n = 1 + rng.int(3);
    const askedWithAny = (c: number, others: Iterable<number>): boolean => {
      const partners = askedWith.get(c);
      if (partners === undefined) return false;
      for (const o of others) if (partners.has(o)) return true;
      return false;
    };
    for (let i = 0; i < n * 3 && out.length < n; i++) {
      const pool = rng.chance(SAME_TOPIC_SIDE)
        ? world.topics[topic]!.concepts
        : world.topics[rng.int(world.topics.length)]!.concepts;
      const c = rng.pick(pool);
      if (exclude.has(c) || out.includes(c)) continue;
      if (noAskedPair && (askedWithAny(c, exclude) || askedWithAny(c, out))) continue;
      out.push(c);
    }
    return out;
  };
  /** A concept of x's topic, not x nor avoid, whose pair with x is asked by no query. */
  const partner = (x: number, avoid: number): number | undefined => {
    const pool = world.topics[topicOf(x)]!.concepts;
    for (let i = 0; i < 50; i++) {
      const y = rng.pick(pool);
      if (y !== x && y !== avoid && !queryKeys.has(pairKey(x, y))) return y;
    }
    return undefined;
  };

  const docs: DocPlan[] = [];
  const add = (
    a: number,
    b: number,
    r: number,
    origin: DocOrigin,
    mention: readonly number[] = [],
    avoid: readonly number[] = [],
  ) => {
    const topic = topicOf(a);
    const exclude = new Set([a, b, ...mention, ...avoid]);
    const mentioned = [...mention, ...sides(topic, exclude, origin === "pool")];
    docs.push({ topic, a, b, relation: r, answer: answerOf(a, b, r), sides: mentioned, origin });
  };
  const oneShared = (q: QueryPlan, r: number, origin: DocOrigin, mentionOther: boolean) => {
    const anchorIsA = rng.chance(0.5);
    const anchor = anchorIsA ? q.a : q.b;
    const other = anchorIsA ? q.b : q.a;
    const y = partner(anchor, other);
    if (y === undefined) return;
    const [a, b] = anchorIsA ? [anchor, y] : [y, anchor];
    if (mentionOther) add(a, b, r, origin, [other]);
    else add(a, b, r, origin, [], [other]);
  };
  const lookalike = (q: QueryPlan, r: number) => {
    const la = world.lookalikes[q.a]!;
    const lb = world.lookalikes[q.b]!;
    if (la.length === 0) return;
    const a = rng.pick(la);
    const b = lb.length > 0 && rng.chance(0.7) ? rng.pick(lb) : partner(a, q.b);
    if (b === undefined || a === b || b === q.a || a === q.b || queryKeys.has(pairKey(a, b))) {
      return;
    }
    add(a, b, r, "distractor", [], [q.a, q.b]);
  };

  for (const q of queries) {
    switch (variant.kind) {
      case "generic": {
        const relevant = 1 + rng.weighted([35, 35, 20, 10]);
        for (let i = 0; i < relevant; i++) add(q.a, q.b, -1, "relevant");
        const partial = rng.weighted([50, 30, 20]);
        for (let i = 0; i < partial; i++) oneShared(q, -1, "partial", true);
        const distractors = 1 + rng.int(2);
        for (let i = 0; i < distractors; i++) oneShared(q, -1, "distractor", false);
        if (rng.chance(0.5)) lookalike(q, -1);
        break;
      }
      case "msmarco": {
        add(q.a, q.b, -1, "relevant");
        for (let i = 0; i < 2; i++) oneShared(q, -1, "distractor", false);
        if (rng.chance(0.5)) lookalike(q, -1);
        break;
      }
      case "nq": {
        const relevant = 1 + rng.weighted([50, 30, 20]);
        for (let i = 0; i < relevant; i++) add(q.a, q.b, q.relation, "relevant");
        if (rng.chance(0.8)) {
          const r = (q.relation + 1 + rng.int(world.relations.length - 1)) %
            world.relations.length;
          add(q.a, q.b, r, "distractor");
        }
        if (rng.chance(0.3)) add(q.b, q.a, q.relation, "distractor");
        oneShared(q, q.relation, "distractor", false);
        if (rng.chance(0.3)) lookalike(q, q.relation);
        break;
      }
      default: {
        const never: never = variant;
        throw new TypeError(`Unknown synthetic variant "${JSON.stringify(never)}"`);
      }
    }
  }

  if (docs.length + sizes.pool > sizes.documents) {
    throw new RangeError(
      `Cannot fit the corpus into sizes.documents "${sizes.documents}": ${total} queries need ${docs.length} related documents plus ${sizes.pool} pool documents`,
    );
  }
  // Pool: drawn like the queries (a topic, then two of its concepts), about pairs no query asks.
  const related = docs.length;
  for (let attempt = 0; docs.length < related + sizes.pool; attempt++) {
    if (attempt > sizes.pool * 50 + 1000) {
      throw new RangeError(
        `Cannot find concept pairs asked by no query for "${sizes.pool}" pool documents: the queries ask too many of the world's pairs`,
      );
    }
    const topic = world.topics[rng.int(world.topics.length)]!;
    const a = rng.pick(topic.concepts);
    const b = rng.pick(topic.concepts);
    if (a === b || queryKeys.has(pairKey(a, b))) continue;
    add(a, b, randomRelation(), "pool");
  }
  while (docs.length < sizes.documents) {
    const topic = world.topics[rng.int(world.topics.length)]!;
    const a = rng.pick(topic.concepts);
    const b = rng.pick(topic.concepts);
    if (a === b || queryKeys.has(pairKey(a, b))) continue;
    add(a, b, randomRelation(), "background");
  }
  return { queries, docs };
}
