/**
 * The hidden structure of a synthetic corpus: topics, concepts with several surface forms,
 * relations with synonymous verbs. Internal: never written to dataset files nor exported by mod.ts.
 *
 * @module
 */

import type { Random } from "./random.ts";
import { NOUNS } from "./words_nouns.ts";
import { ADJECTIVES, FIRST_NAMES, SURNAMES, VERBS } from "./words_other.ts";

/** A latent topic: a set of concepts plus context words that documents of the topic use. */
export interface Topic {
  readonly id: number;
  readonly words: readonly string[];
  readonly concepts: readonly number[];
}

/**
 * A latent concept. `forms` are its interchangeable surface forms (one word, or modifier + head
 * where the words are shared with other concepts' forms); documents prefer the first forms,
 * queries the last ones.
 */
export interface Concept {
  readonly id: number;
  readonly topic: number;
  readonly forms: readonly string[];
}

/** What a relation's question asks for (`nq` variant). */
export type AnswerKind = "person" | "year" | "count";

/** A relation between two concepts, expressed by any of its synonymous past-tense verbs. */
export interface Relation {
  readonly id: number;
  readonly forms: readonly string[];
  readonly answer: AnswerKind;
}

/** The complete hidden structure. */
export interface World {
  readonly topics: readonly Topic[];
  readonly concepts: readonly Concept[];
  readonly relations: readonly Relation[];
  /** For each concept, the other concepts that share a word with one of its forms. */
  readonly lookalikes: readonly (readonly number[])[];
  readonly fillerNouns: readonly string[];
  readonly fillerAdjectives: readonly string[];
  readonly fillerVerbs: readonly string[];
  readonly firstNames: readonly string[];
  readonly surnames: readonly string[];
}

/** How many topics and concepts a world has. */
export interface WorldShape {
  readonly topics: number;
  readonly conceptsPerTopic: number;
}

const CONCEPTS_PER_TOPIC = 50;
const TOPIC_NOUNS = 8;
const TOPIC_ADJECTIVES = 4;
const FILLER_NOUNS = 60;
const FILLER_ADJECTIVES = 40;
const RELATIONS = 8;
const VERBS_PER_RELATION = 3;
const SINGLE_WORD_FORM_PROBABILITY = 0.5;

/**
 * Choose the world's shape: 50 concepts per topic; at least 4 topics, one per 4,000 documents (so
 * a concept is not mentioned by too many documents), and enough that the queries use at most half
 * of the within-topic concept pairs (the rest feed distractors and background documents). Few
 * concepts per training query is what makes the synonym structure learnable.
 */
export function worldShape(queries: number, documents: number): WorldShape {
  const pairsPerTopic = (CONCEPTS_PER_TOPIC * (CONCEPTS_PER_TOPIC - 1)) / 2;
  const topics = Math.max(
    4,
    Math.ceil(documents / 4000),
    Math.ceil((2 * queries) / pairsPerTopic),
  );
  return { topics, conceptsPerTopic: CONCEPTS_PER_TOPIC };
}

function unique(words: readonly string[], exclude: ReadonlySet<string>): string[] {
  const seen = new Set<string>(exclude);
  const out: string[] = [];
  for (const w of words) {
    if (!seen.has(w)) {
      seen.add(w);
      out.push(w);
    }
  }
  return out;
}

function take(pool: string[], n: number, what: string): string[] {
  if (pool.length < n) {
    throw new RangeError(
      `Cannot build the synthetic world: ${what} needs ${n} more words, only ${pool.length} are left in the built-in list`,
    );
  }
  return pool.splice(0, n);
}

/** Build the hidden world from the built-in word lists, deterministically from `rng`. */
export function buildWorld(rng: Random, shape: WorldShape): World {
  const nouns = rng.shuffle(unique(NOUNS, new Set()));
  const adjectives = rng.shuffle(unique(ADJECTIVES, new Set(NOUNS)));
  const verbs = rng.shuffle(unique(VERBS, new Set()));
  const conceptCount = shape.topics * shape.conceptsPerTopic;

  const topicNouns = take(nouns, shape.topics * TOPIC_NOUNS, "topic words");
  const topicAdjectives = take(adjectives, shape.topics * TOPIC_ADJECTIVES, "topic words");
  const fillerNouns = take(nouns, FILLER_NOUNS, "filler");
  const fillerAdjectives = take(adjectives, FILLER_ADJECTIVES, "filler");
  const heads = take(nouns, Math.max(16, Math.round(conceptCount * 0.3)), "phrase heads");
  const modifiers = take(
    adjectives,
    Math.min(adjectives.length, Math.max(16, Math.round(conceptCount * 0.25))),
    "phrase modifiers",
  );
  const singles = nouns; // what is left: one-word forms, each used by one concept only

  const relationVerbs = take(verbs, RELATIONS * VERBS_PER_RELATION, "relations");
  const kinds: readonly AnswerKind[] = ["person", "year", "count"];
  const relations: Relation[] = Array.from({ length: RELATIONS }, (_, id) => ({
    id,
    forms: relationVerbs.slice(id * VERBS_PER_RELATION, (id + 1) * VERBS_PER_RELATION),
    answer: kinds[id % kinds.length] as AnswerKind,
  }));

  const usedPhrases = new Set<string>();
  const concepts: Concept[] = [];
  const topics: Topic[] = [];
  for (let t = 0; t < shape.topics; t++) {
    const ids: number[] = [];
    for (let k = 0; k < shape.conceptsPerTopic; k++) {
      const id = concepts.length;
      const count = 2 + rng.int(3);
      const forms: string[] = [];
      while (forms.length < count) {
        if (singles.length > 0 && rng.chance(SINGLE_WORD_FORM_PROBABILITY)) {
          forms.push(singles.pop() as string);
          continue;
        }
        const phrase = `${rng.pick(modifiers)} ${rng.pick(heads)}`;
        if (usedPhrases.has(phrase)) continue;
        usedPhrases.add(phrase);
        forms.push(phrase);
      }
      concepts.push({ id, topic: t, forms });
      ids.push(id);
    }
    topics.push({
      id: t,
      words: [
        ...topicNouns.slice(t * TOPIC_NOUNS, (t + 1) * TOPIC_NOUNS),
        ...topicAdjectives.slice(t * TOPIC_ADJECTIVES, (t + 1) * TOPIC_ADJECTIVES),
      ],
      concepts: ids,
    });
  }

  const common = new Set([...NOUNS, ...ADJECTIVES]);
  const byWord = new Map<string, number[]>();
  for (const c of concepts) {
    for (const w of new Set(c.forms.flatMap((f) => f.split(" ")))) {
      const list = byWord.get(w) ?? [];
      list.push(c.id);
      byWord.set(w, list);
    }
  }
  const lookalikes = concepts.map((c) => {
    const out = new Set<number>();
    for (const f of c.forms) {
      for (const w of f.split(" ")) for (const o of byWord.get(w) ?? []) if (o !== c.id) out.add(o);
    }
    return [...out].sort((x, y) => x - y);
  });

  return {
    topics,
    concepts,
    relations,
    lookalikes,
    fillerNouns,
    fillerAdjectives,
    fillerVerbs: verbs,
    // Names that are also nouns or adjectives ("mark", "king") would blur answers and concepts.
    firstNames: FIRST_NAMES.filter((w) => !common.has(w)),
    surnames: SURNAMES.filter((w) => !common.has(w)),
  };
}
