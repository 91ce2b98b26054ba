import assert from "node:assert/strict";
import { formatFixed } from "./format_fixed.ts";

Deno.test("formatFixed rounds an exact binary tie to even, unlike toFixed", () => {
  // 0.03125 = 1/32 is exact in binary: a true tie at the 4th decimal.
  assert.equal((0.03125).toFixed(4), "0.0313");
  assert.equal(formatFixed(0.03125, 4), "0.0312");
  assert.equal(formatFixed(0.09375, 4), "0.0938"); // 3/32: tie, 7 is odd -> up
  assert.equal(formatFixed(0.5, 0), "0");
  assert.equal(formatFixed(1.5, 0), "2");
  assert.equal(formatFixed(2.5, 0), "2");
});

Deno.test("formatFixed rounds the exact double, not its shortest decimal", () => {
  // Exact expansions (Python's Decimal) and glibc printf("%.4f") results:
  // 0.03135 is 0.031350000000000002864... (above the tie) -> 0.0314
  assert.equal(formatFixed(0.03135, 4), "0.0314");
  // 0.03145 is 0.031449999999999998789... (below the tie) -> 0.0314
  assert.equal(formatFixed(0.03145, 4), "0.0314");
  // 1.00005 is 1.000050000000000105515... -> 1.0001
  assert.equal(formatFixed(1.00005, 4), "1.0001");
  // 0.00015 is 0.000149999999999999986859... -> 0.0001
  assert.equal(formatFixed(0.00015, 4), "0.0001");
});

Deno.test("formatFixed handles 0, 1, values rounding up to 1 and negative values", () => {
  assert.equal(formatFixed(0, 4), "0.0000");
  assert.equal(formatFixed(1, 4), "1.0000");
  assert.equal(formatFixed(0.99995, 4), "1.0000"); // 0.999950000000000005506...
  assert.equal(formatFixed(0.99994999, 4), "0.9999");
  assert.equal(formatFixed(0.999951, 4), "1.0000");
  assert.equal(formatFixed(2 / 3, 4), "0.6667");
  assert.equal(formatFixed(1 / 12, 4), "0.0833");
  assert.equal(formatFixed(-0.03125, 4), "-0.0312");
  assert.equal(formatFixed(-0, 4), "-0.0000");
  assert.equal(formatFixed(-0.00001, 4), "-0.0000");
  assert.equal(formatFixed(123456.5, 0), "123456");
  assert.equal(formatFixed(1e21, 2), "1000000000000000000000.00");
  assert.equal(formatFixed(5e-324, 4), "0.0000");
  assert.equal(formatFixed(Number.NaN), "nan");
  assert.equal(formatFixed(-Infinity), "-inf");
});

Deno.test("formatFixed agrees with toFixed wherever the exact value is not a tie", () => {
  // Independent reference: toFixed is exact except for its tie rule, so on values whose exact
  // expansion is not a tie at the rounding digit both must agree.
  let state = 12345;
  for (let i = 0; i < 5000; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const x = state / 2147483648;
    const reference = x.toFixed(4);
    const tieFree = Math.abs(x * 1e4 - Math.floor(x * 1e4) - 0.5) > 1e-6;
    if (tieFree) assert.equal(formatFixed(x, 4), reference, `x=${x}`);
  }
});

Deno.test("formatFixed rejects an invalid number of decimals", () => {
  assert.throws(() => formatFixed(1, -1), RangeError);
  assert.throws(() => formatFixed(1, 1.5), RangeError);
});
