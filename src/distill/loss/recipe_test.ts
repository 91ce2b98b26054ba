import assert from "node:assert/strict";
import { canonicalRecipe, type LossRecipe, parseRecipe, resolveRecipe } from "./recipe.ts";

Deno.test("recipe defaults: weight 1, names by kind, KD temperatures 1 / cross-entropy / no rescale, l2", () => {
  const resolved = resolveRecipe({
    terms: [{ kind: "score-kd" }, { kind: "embed-match", side: "query" }, { kind: "one-hot" }],
  });
  assert.deepEqual(resolved.terms, [
    {
      kind: "embed-match",
      name: "embed-query",
      weight: 1,
      side: "query",
      distance: "l2",
      eps: 1e-12,
    },
    { kind: "one-hot", name: "one-hot", weight: 1 },
    {
      kind: "score-kd",
      name: "score-kd",
      weight: 1,
      teacherTemperature: 1,
      studentTemperature: 1,
      form: "cross-entropy",
      rescale: "none",
    },
  ]);
});

Deno.test("canonical form: the same objective in any order, defaults spelled out or not", () => {
  const a: LossRecipe = {
    terms: [{ kind: "score-kd" }, { kind: "embed-match", side: "document", weight: 5 }],
  };
  const b: LossRecipe = {
    terms: [
      { weight: 5, distance: "l2", side: "document", kind: "embed-match", name: "embed-document" },
      { kind: "score-kd", teacherTemperature: 1, studentTemperature: 1, form: "cross-entropy" },
    ],
  };
  assert.equal(canonicalRecipe(a), canonicalRecipe(b));
  assert.notEqual(
    canonicalRecipe(a),
    canonicalRecipe({ terms: [{ kind: "score-kd", form: "kl" }, a.terms[1]!] }),
  );
  assert.equal(
    canonicalRecipe({ terms: [{ kind: "one-hot" }] }),
    '{"terms":[{"kind":"one-hot","name":"one-hot","weight":1}]}',
  );
});

Deno.test("parseRecipe round-trips the canonical form", () => {
  const recipe: LossRecipe = {
    terms: [
      { kind: "margin-mse", weight: 0.5 },
      { kind: "embed-match", side: "query", distance: "cosine", name: "q" },
      { kind: "score-kd", teacherTemperature: 2, studentTemperature: 3, rescale: "t-squared" },
    ],
  };
  const text = canonicalRecipe(recipe);
  assert.deepEqual(parseRecipe(text), resolveRecipe(recipe));
  assert.equal(canonicalRecipe(parseRecipe(text)), text);
});

Deno.test("recipe validation errors", () => {
  const bad = (terms: unknown[], error: ErrorConstructor) =>
    assert.throws(() => resolveRecipe({ terms } as unknown as LossRecipe), error);
  bad([], TypeError);
  bad([{ kind: "hinge" }], TypeError);
  bad([{ kind: "one-hot" }, { kind: "one-hot" }], RangeError);
  bad([{ kind: "one-hot", weight: -1 }], RangeError);
  bad([{ kind: "one-hot", weight: Number.POSITIVE_INFINITY }], RangeError);
  bad([{ kind: "score-kd", teacherTemperature: 0 }], RangeError);
  bad([{ kind: "score-kd", temprature: 2 }], TypeError);
  bad([{ kind: "score-kd", form: "js" }], TypeError);
  bad([{ kind: "embed-match" }], TypeError);
  bad([{ kind: "embed-match", side: "query", distance: "l1" }], TypeError);
  bad([{ kind: "embed-match", side: "query", eps: 0 }], RangeError);
  bad([{ kind: "one-hot", name: "" }], TypeError);
  assert.throws(() => parseRecipe("{terms"), SyntaxError);
  assert.throws(() => parseRecipe('{"terms": [], "extra": 1}'), TypeError);
  assert.throws(() => parseRecipe('{"terms": [1]}'), TypeError);
  assert.throws(() => parseRecipe("[]"), TypeError);
});

Deno.test("recipe types reject misuse at compile time", () => {
  // @ts-expect-error embed-match needs a side
  const noSide: LossRecipe = { terms: [{ kind: "embed-match" }] };
  // @ts-expect-error unknown kind
  const badKind: LossRecipe = { terms: [{ kind: "hinge" }] };
  // @ts-expect-error margin-mse has no temperature
  const extra: LossRecipe = { terms: [{ kind: "margin-mse", teacherTemperature: 2 }] };
  assert.ok(noSide && badKind && extra);
});
