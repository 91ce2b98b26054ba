import assert from "node:assert/strict";
import { type Clock, interleave } from "./interleave.ts";

/** A fake clock advanced by the fake work: a unit test of the ordering, not a timing test. */
function fakeWork(durations: Record<string, number[]>) {
  let t = 0;
  const calls: string[] = [];
  const clock: Clock = { now: () => t };
  const target = (name: string) => ({
    run() {
      calls.push(name);
      t += durations[name]!.shift() ?? 1;
    },
  });
  return { clock, calls, bench: target("bench"), reference: target("reference") };
}

Deno.test("interleave: warm-up rounds untimed, then bench and reference alternate", async () => {
  const w = fakeWork({ bench: [100, 6, 9, 12], reference: [100, 3, 3, 4] });
  const result = await interleave(w.bench, w.reference, { warmup: 1, repeats: 3, clock: w.clock });
  assert.deepEqual(w.calls, [
    "bench",
    "reference",
    "bench",
    "reference",
    "bench",
    "reference",
    "bench",
    "reference",
  ]);
  assert.deepEqual(result.benchMs, [6, 9, 12]);
  assert.deepEqual(result.referenceMs, [3, 3, 4]);
  assert.equal(result.ratio, 3);
  assert.equal(result.repeats, 3);
});

Deno.test("interleave: repeats below 1 are refused", async () => {
  const w = fakeWork({ bench: [], reference: [] });
  await assert.rejects(interleave(w.bench, w.reference, { repeats: 0 }), /0 repeats/);
});
