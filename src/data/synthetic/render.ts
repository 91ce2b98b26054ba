/**
 * Turns planned documents and queries into English text through sentence templates and the
 * concepts' surface forms. Internal to the generator.
 *
 * @module
 */

import type { SyntheticVariant } from "./params.ts";
import type { DocPlan, QueryPlan } from "./plan.ts";
import type { Document, Query } from "../records.ts";
import type { Random } from "./random.ts";
import { documentForm, otherDocumentForm, queryForm } from "./surface.ts";
import type { World } from "./world.ts";

const PREPOSITIONS = ["in", "on", "with", "for", "near", "from", "across", "under", "around"];
const DETERMINERS = ["the", "a", "each", "this", "every", "one"];

/** A rendered document: a {@linkcode Document} before it gets its id. */
type RenderedDocument = Omit<Document, "id">;

/** A rendered query and, for `nq`, its answer strings, before it gets its id. */
type RenderedQuery = Omit<Query, "id"> & { readonly answers: readonly string[] };

function forms(world: World, concept: number): readonly string[] {
  return world.concepts[concept]!.forms;
}

/** Render one document. */
export function renderDocument(
  world: World,
  variant: SyntheticVariant,
  plan: DocPlan,
  rng: Random,
): RenderedDocument {
  const topicWords = world.topics[plan.topic]!.words;
  const tw = () => rng.pick(topicWords);
  const det = () => rng.pick(DETERMINERS);
  const verb = () => rng.pick(world.fillerVerbs);
  const prep = () => rng.pick(PREPOSITIONS);
  const thing = () => `${rng.pick(world.fillerAdjectives)} ${rng.pick(world.fillerNouns)}`;

  const fa = documentForm(forms(world, plan.a), rng);
  const fb = documentForm(forms(world, plan.b), rng);
  const sentences: string[] = [];
  let title = "";
  if (variant.kind === "nq") {
    const relation = world.relations[plan.relation]!;
    const v = documentForm(relation.forms, rng);
    switch (relation.answer) {
      case "person":
        sentences.push(`the ${fa} of the ${fb} was ${v} by ${plan.answer}`);
        break;
      case "year":
        sentences.push(`the ${fa} of the ${fb} was ${v} in ${plan.answer}`);
        break;
      case "count":
        sentences.push(`in total ${plan.answer} ${fa} were ${v} by the ${fb}`);
        break;
    }
    title = fb;
  } else {
    sentences.push(`the ${fa} ${verb()} the ${fb} ${prep()} the ${tw()}`);
  }
  if (rng.chance(0.7)) {
    const a2 = rng.chance(0.4) ? otherDocumentForm(forms(world, plan.a), fa, rng) : fa;
    const b2 = rng.chance(0.4) ? otherDocumentForm(forms(world, plan.b), fb, rng) : fb;
    sentences.push(`${det()} ${tw()} ${verb()} the ${a2} and the ${b2}`);
  }
  for (const s of plan.sides) {
    const fs = documentForm(forms(world, s), rng);
    sentences.push(`${det()} ${thing()} ${verb()} the ${fs} ${prep()} ${det()} ${tw()}`);
  }
  const fillers = 1 + rng.int(2);
  for (let i = 0; i < fillers; i++) {
    sentences.push(`${det()} ${tw()} ${verb()} ${det()} ${thing()}`);
  }
  rng.shuffle(sentences);
  return { title, text: sentences.map((s) => `${s}.`).join(" ") };
}

/** Render one query in the variant's style. */
export function renderQuery(
  world: World,
  variant: SyntheticVariant,
  plan: QueryPlan,
  rng: Random,
): RenderedQuery {
  const qa = queryForm(forms(world, plan.a), rng);
  const qb = queryForm(forms(world, plan.b), rng);
  const tw = () => rng.pick(world.topics[plan.topic]!.words);
  switch (variant.kind) {
    case "generic": {
      const templates = [
        () => `${qa} ${qb}`,
        () => `${qa} and ${qb}`,
        () => `${qa} with ${qb}`,
        () => `${qb} in ${qa}`,
        () => `${qa} ${qb} ${tw()}`,
        () => `the ${qa} of the ${qb}`,
      ];
      return { text: rng.pick(templates)(), answers: [] };
    }
    case "msmarco": {
      const text = rng.chance(0.5) ? `${qa} ${qb}` : `${qb} ${qa}`;
      return { text: rng.chance(0.3) ? `${text} ${tw()}` : text, answers: [] };
    }
    case "nq": {
      const relation = world.relations[plan.relation]!;
      const v = queryForm(relation.forms, rng);
      const text = relation.answer === "person"
        ? rng.chance(0.7)
          ? `who ${v} the ${qa} of the ${qb}`
          : `which person ${v} the ${qa} of the ${qb}`
        : relation.answer === "year"
        ? rng.chance(0.7)
          ? `when was the ${qa} of the ${qb} ${v}`
          : `what year was the ${qa} of the ${qb} ${v}`
        : `how many ${qa} were ${v} by the ${qb}`;
      return { text, answers: [plan.answer] };
    }
    default: {
      const never: never = variant;
      throw new TypeError(`Unknown synthetic variant "${JSON.stringify(never)}"`);
    }
  }
}
