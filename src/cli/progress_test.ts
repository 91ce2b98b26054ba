import assert from "node:assert/strict";
import {
  colorEnabled,
  formatDuration,
  formatValue,
  ProgressBar,
  type ProgressSink,
} from "./progress.ts";

function fakeSink(tty: boolean, color = false): ProgressSink & { text: () => string } {
  const chunks: string[] = [];
  return { tty, color, write: (t) => chunks.push(t), text: () => chunks.join("") };
}

function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

Deno.test("progress: durations and values are formatted compactly", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(59.4), "59s");
  assert.equal(formatDuration(185), "3m05s");
  assert.equal(formatDuration(7620), "2h07m");
  assert.equal(formatDuration(Infinity), "--");
  assert.equal(formatValue(0.512345), "0.5123");
  assert.equal(formatValue(12.3456), "12.35");
  assert.equal(formatValue(0.0000123456), "1.235e-5");
  assert.equal(formatValue(0), "0");
  assert.equal(formatValue(NaN), "NaN");
});

Deno.test("progress: NO_COLOR (non-empty) or a non-terminal turns colour off", () => {
  const env = (v: string | undefined) => (name: string) => name === "NO_COLOR" ? v : undefined;
  assert.equal(colorEnabled(true, env(undefined)), true);
  assert.equal(colorEnabled(true, env("")), true);
  assert.equal(colorEnabled(true, env("1")), false);
  assert.equal(colorEnabled(false, env(undefined)), false);
});

Deno.test("progress: on a terminal one line is redrawn at most every 100 ms, the last always", () => {
  const sink = fakeSink(true);
  const clock = fakeClock();
  const bar = new ProgressBar(sink, { label: "train", width: 10, now: clock.now });
  for (let step = 1; step <= 100; step++) {
    clock.advance(25); // 40 updates a second
    bar.update({
      done: step,
      total: 100,
      fields: [["loss", formatValue(1 / step)], ["score-kd", "0.3"]],
      rate: "120 ex/s",
      etaSeconds: (100 - step) * 0.025,
    });
  }
  bar.finish();
  const text = sink.text();
  assert.ok(!text.includes("\x1b")); // no colour asked for
  const draws = text.split("\r").filter((s) => s !== "");
  // 2.5 s of updates at <= 10 Hz, plus the forced last one and finish's redraw.
  assert.ok(draws.length >= 20 && draws.length <= 28, `${draws.length} draws`);
  assert.equal(text.match(/\n/g)?.length, 1);
  assert.ok(text.endsWith(
    "\rtrain [##########] 100.0% 100/100 loss 0.01 score-kd 0.3 120 ex/s ETA 0s\n",
  ));
  assert.match(
    draws[0]!,
    /^train \[----------\] 1\.0% 1\/100 loss 1 score-kd 0\.3 120 ex\/s ETA 2s$/,
  );
});

Deno.test("progress: a shorter redraw blanks the rest of the previous line; log keeps its line", () => {
  const sink = fakeSink(true);
  const clock = fakeClock();
  const bar = new ProgressBar(sink, { label: "x", width: 4, now: clock.now });
  bar.update({ done: 1, total: 4, fields: [["loss", "123.4"]] });
  clock.advance(200);
  bar.update({ done: 2, total: 4, fields: [["loss", "1"]] });
  const first = "x [#---] 25.0% 1/4 loss 123.4";
  const second = "x [##--] 50.0% 2/4 loss 1";
  assert.equal(sink.text(), `\r${first}\r${second}${" ".repeat(first.length - second.length)}`);
  bar.log("eval step 2: RR@10 0.5");
  const after = sink.text().slice(`\r${first}\r${second}`.length + 4);
  assert.equal(after, `\r${"eval step 2: RR@10 0.5".padEnd(second.length)}\n\r${second}`);
});

Deno.test("progress: colour marks the bar and the rate on a terminal only", () => {
  const sink = fakeSink(true, true);
  const bar = new ProgressBar(sink, { label: "t", width: 2, now: () => 0 });
  bar.update({ done: 1, total: 2, rate: "5 ex/s" });
  assert.equal(sink.text(), "\rt [\x1b[32m#\x1b[0m-] 50.0% 1/2 \x1b[2m5 ex/s\x1b[0m");
  const plain = fakeSink(false, true);
  new ProgressBar(plain, { label: "t", now: () => 0 }).update({
    done: 1,
    total: 2,
    rate: "5 ex/s",
  });
  assert.equal(plain.text(), "t: 50.0% 1/2 5 ex/s\n");
});

Deno.test("progress: without a terminal, plain lines every 10 % or 30 s, never redrawn", () => {
  const sink = fakeSink(false);
  const clock = fakeClock();
  const bar = new ProgressBar(sink, { label: "train", now: clock.now });
  for (let step = 0; step <= 1000; step++) {
    clock.advance(10);
    bar.update({ done: step, total: 1000, fields: [["loss", "0.5"]] });
  }
  bar.log("done");
  bar.finish();
  const lines = sink.text().split("\n").filter((l) => l !== "");
  assert.doesNotMatch(sink.text(), /\r/);
  assert.deepEqual(
    lines.slice(0, -1).map((l) => l.match(/^train: ([0-9.]+)% /)?.[1]),
    ["0.0", "10.0", "20.0", "30.0", "40.0", "50.0", "60.0", "70.0", "80.0", "90.0", "100.0"],
  );
  assert.equal(lines.at(-1), "done");
  assert.equal(lines[1], "train: 10.0% 100/1000 loss 0.5");

  // Slow progress: the 30 s bound adds lines between percentage steps.
  const slow = fakeSink(false);
  const slowClock = fakeClock();
  const slowBar = new ProgressBar(slow, { label: "s", now: slowClock.now });
  for (let step = 0; step <= 5; step++) {
    slowBar.update({ done: step, total: 1000 });
    slowClock.advance(20_000);
  }
  // step 0 (first line), then 30 s later (step 2), then 60 s (step 4)... every other update.
  assert.deepEqual(slow.text().split("\n").filter((l) => l !== ""), [
    "s: 0.0% 0/1000",
    "s: 0.2% 2/1000",
    "s: 0.4% 4/1000",
  ]);
});

Deno.test("progress: unknown totals show the count only; bad steps are a RangeError", () => {
  const sink = fakeSink(false);
  new ProgressBar(sink, { label: "n", formatCount: (n) => `${n} B`, now: () => 0 })
    .update({ done: 7, total: 0 });
  assert.equal(sink.text(), "n: 7 B\n");
  assert.throws(() => new ProgressBar(sink, { label: "n", plainStep: 0 }), RangeError);
});

Deno.test("progress: a redrawn line is cut to the terminal width so it never wraps", () => {
  const sink = { ...fakeSink(true, true), columns: 20 };
  const bar = new ProgressBar(sink, { label: "train", width: 4, now: () => 0 });
  bar.update({ done: 1, total: 2, fields: [["loss", "0.5"]], rate: "9 ex/s" });
  assert.equal(sink.text(), "\rtrain [##--] 50.0% "); // 19 = columns - 1
});
