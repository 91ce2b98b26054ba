import assert from "node:assert/strict";
import { formatAge, parseDuration } from "./duration.ts";
import { UsageError } from "./usage_error.ts";

Deno.test("parseDuration reads a number and a unit; anything else is a usage error", () => {
  assert.equal(parseDuration("90s", "--older-than"), 90_000);
  assert.equal(parseDuration("7d", "--older-than"), 7 * 86_400_000);
  assert.equal(parseDuration("1.5h", "--older-than"), 5_400_000);
  assert.equal(parseDuration("2w", "--older-than"), 14 * 86_400_000);
  assert.throws(() => parseDuration("7", "--older-than"), UsageError);
  assert.throws(() => parseDuration("d7", "--older-than"), /--older-than must be .* found "d7"/);
});

Deno.test("formatAge gives one short unit", () => {
  assert.equal(formatAge(5_000), "5s");
  assert.equal(formatAge(600_000), "10m");
  assert.equal(formatAge(5 * 3_600_000), "5h");
  assert.equal(formatAge(9 * 86_400_000), "9d");
});
