import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type BaselineEntry,
  formatBaseline,
  machineNote,
  parseBaseline,
  readBaseline,
} from "./baseline.ts";

const ENTRY: BaselineEntry = {
  ratio: 2.5,
  spread: 0.1,
  threshold: 0.3,
  reference: "scalar-loop-8M",
  workload: "w",
  backend: "ts",
  threads: 1,
  blas: null,
  machine: "test cpu x2",
  date: "2026-12-03",
};

const file = (benches: Record<string, unknown>) => ({
  kind: "bench-baseline",
  version: 1,
  note: "",
  benches,
});

Deno.test("parseBaseline: a valid file round-trips through formatBaseline", () => {
  const parsed = parseBaseline(
    "b.json",
    file({ "z/b": ENTRY, "a/b": { ...ENTRY, blas: "openblas" } }),
  );
  const text = formatBaseline(parsed);
  assert.deepEqual(Object.keys(JSON.parse(text).benches), ["a/b", "z/b"]);
  assert.deepEqual(parseBaseline("b.json", JSON.parse(text)), parsed);
});

Deno.test("parseBaseline: errors name the file, the bench and the field", () => {
  assert.throws(() => parseBaseline("b.json", []), /b\.json: expected a JSON object/);
  assert.throws(() => parseBaseline("b.json", { ...file({}), kind: "x" }), /"kind" is "x"/);
  assert.throws(
    () => parseBaseline("b.json", { ...file({}), version: 2 }),
    /"version" is 2, expected 1/,
  );
  assert.throws(
    () => parseBaseline("b.json", file({ "bm25/search": { ...ENTRY, ratio: -1 } })),
    /b\.json: bench "bm25\/search": "ratio" is -1, expected a positive number/,
  );
  assert.throws(
    () => parseBaseline("b.json", file({ x: { ...ENTRY, threads: 1.5 } })),
    /bench "x": "threads" is 1\.5, expected an integer/,
  );
  assert.throws(
    () => parseBaseline("b.json", file({ x: { ...ENTRY, blas: 3 } })),
    /bench "x": "blas" is 3, expected a name or null/,
  );
  const { machine: _, ...noMachine } = ENTRY;
  assert.throws(
    () => parseBaseline("b.json", file({ x: noMachine })),
    /bench "x": "machine" is undefined, expected a non-empty string/,
  );
});

Deno.test("readBaseline: a missing file is an empty baseline; bad JSON names the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual((await readBaseline(join(dir, "none.json"))).benches, {});
    await Deno.writeTextFile(join(dir, "bad.json"), "{");
    await assert.rejects(readBaseline(join(dir, "bad.json")), /bad\.json: not JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("machineNote: benches measured on another machine are named by machine; none: null", () => {
  const parsed = parseBaseline(
    "b.json",
    file({ "a/x": ENTRY, "b/y": { ...ENTRY, machine: "other cpu x8" }, "c/z": ENTRY }),
  );
  assert.equal(machineNote(parsed, ["a/x", "c/z", "new/bench"], "test cpu x2"), null);
  const note = machineNote(parsed, ["a/x", "b/y", "c/z"], "ci cpu x4");
  assert.ok(note !== null);
  assert.match(note, /another machine than this one \("ci cpu x4"\)/);
  assert.match(note, /2 on "test cpu x2" \(a\/x, c\/z\); 1 on "other cpu x8" \(b\/y\)/);
  assert.match(note, /bench:check --update/);
  assert.match(machineNote(parsed, ["b/y"], "test cpu x2") ?? "", /1 on "other cpu x8" \(b\/y\)/);
});
