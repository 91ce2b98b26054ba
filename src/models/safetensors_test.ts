import assert from "node:assert/strict";
import { join } from "node:path";
import type { NamedTensor } from "./config.ts";
import {
  decodeTensor,
  encodeSafetensors,
  parseSafetensors,
  readSafetensors,
  readSafetensorsFile,
  writeSafetensorsFile,
} from "./safetensors.ts";
import { float32ToFloat16Bits } from "../io/mod.ts";

/** Assemble a safetensors file by hand: u64 LE header length, header text, raw data bytes. */
function handBuilt(header: string, data: readonly number[]): Uint8Array {
  const text = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + text.length + data.length);
  // Little-endian u64 header length, written byte by byte.
  let n = text.length;
  for (let i = 0; i < 8; i++) {
    out[i] = n & 0xff;
    n = Math.floor(n / 256);
  }
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

const FIXTURE_HEADER = '{"__metadata__":{"format":"pt"},' +
  '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
  '"b":{"dtype":"F16","shape":[3],"data_offsets":[8,14]},' +
  '"c":{"dtype":"BF16","shape":[1,1],"data_offsets":[14,16]},' +
  '"d":{"dtype":"I64","shape":[1],"data_offsets":[16,24]}}    ';
const FIXTURE_DATA = [
  ...[0x00, 0x00, 0x80, 0x3f], // F32 1.0
  ...[0x00, 0x00, 0x20, 0xc0], // F32 -2.5
  ...[0x00, 0x3c], // F16 1.0
  ...[0x00, 0xc0], // F16 -2.0
  ...[0x01, 0x00], // F16 smallest subnormal 2^-24
  ...[0x40, 0x40], // BF16 3.0
  ...[0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], // I64 7
];

Deno.test("reads a hand-built file with F32, F16, BF16 and I64 tensors", () => {
  const { metadata, tensors } = readSafetensors(handBuilt(FIXTURE_HEADER, FIXTURE_DATA), "hand");
  assert.deepEqual(metadata, { format: "pt" });
  assert.deepEqual([...tensors.keys()], ["a", "b", "c", "d"]);
  assert.deepEqual([...tensors.get("a")!.data], [1, -2.5]);
  assert.deepEqual([...tensors.get("b")!.data], [1, -2, 2 ** -24]);
  assert.deepEqual(tensors.get("c")!.shape, [1, 1]);
  assert.deepEqual([...tensors.get("c")!.data], [3]);
  assert.deepEqual([...tensors.get("d")!.data], [7]);
});

Deno.test("writes exactly the bytes of the format, header padded to 8 bytes", () => {
  const tensors = new Map<string, NamedTensor>([
    ["w", { shape: [2], data: new Float32Array([1, -2.5]) }],
  ]);
  const header = '{"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const padded = header + " ".repeat((8 - (header.length % 8)) % 8);
  const expected = handBuilt(padded, FIXTURE_DATA.slice(0, 8));
  assert.deepEqual(encodeSafetensors(tensors, { metadata: { k: "v" } }), expected);
  assert.equal((8 + padded.length) % 8, 0);
});

Deno.test("F32 round trip is bit-exact, including -0, subnormals, infinities and extremes", () => {
  const values = new Float32Array(1000);
  let seed = 12345;
  const bits = new Uint32Array(values.buffer);
  for (let i = 0; i < values.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    bits[i] = seed;
    if (Number.isNaN(values[i])) values[i] = i; // NaN payloads need not survive
  }
  values.set([-0, 1e-45, -1e-45, Infinity, -Infinity, 3.4028234663852886e38], 0);
  const tensors = new Map<string, NamedTensor>([
    ["x", { shape: [10, 100], data: values }],
    ["scalar", { shape: [], data: new Float32Array([0.1]) }],
    ["empty", { shape: [0, 3], data: new Float32Array(0) }],
  ]);
  const bytes = encodeSafetensors(tensors, { metadata: { note: "round trip" } });
  const back = readSafetensors(bytes);
  assert.deepEqual(back.metadata, { note: "round trip" });
  const x = back.tensors.get("x")!;
  assert.deepEqual(x.shape, [10, 100]);
  assert.deepEqual(new Uint32Array(x.data.buffer), new Uint32Array(values.buffer));
  assert.deepEqual([...back.tensors.get("scalar")!.data], [Math.fround(0.1)]);
  assert.deepEqual(back.tensors.get("empty")!.shape, [0, 3]);
  // Re-encoding the decoded tensors reproduces the same bytes.
  assert.deepEqual(encodeSafetensors(back.tensors, { metadata: back.metadata }), bytes);
});

Deno.test("F16 encoding rounds to nearest even and round-trips every half value", () => {
  assert.equal(float32ToFloat16Bits(1), 0x3c00);
  assert.equal(float32ToFloat16Bits(-2), 0xc000);
  assert.equal(float32ToFloat16Bits(65504), 0x7bff);
  assert.equal(float32ToFloat16Bits(65520), 0x7c00); // halfway to the next step: rounds to infinity
  assert.equal(float32ToFloat16Bits(2 ** -24), 0x0001);
  assert.equal(float32ToFloat16Bits(2 ** -25), 0x0000); // tie goes to even (zero)
  assert.equal(float32ToFloat16Bits(1.5 * 2 ** -25), 0x0001);
  assert.equal(float32ToFloat16Bits(1 + 2 ** -11), 0x3c00); // tie, even mantissa kept
  assert.equal(float32ToFloat16Bits(1 + 3 * 2 ** -11), 0x3c02); // tie, odd mantissa rounds up
  assert.equal(float32ToFloat16Bits(-0), 0x8000);
  assert.equal(float32ToFloat16Bits(Number.NaN) & 0x7c00, 0x7c00);
  // Every finite half value survives decode -> encode.
  const header = '{"h":{"dtype":"F16","shape":[65536],"data_offsets":[0,131072]}}';
  const data: number[] = [];
  for (let h = 0; h < 65536; h++) data.push(h & 0xff, h >>> 8);
  const decoded = readSafetensors(handBuilt(header + " ".repeat(6), data)).tensors.get("h")!;
  for (let h = 0; h < 65536; h++) {
    if ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0) continue; // NaN
    if (float32ToFloat16Bits(decoded.data[h]!) !== h) assert.fail(`half 0x${h.toString(16)}`);
  }
  const f16 = encodeSafetensors(new Map([["h", decoded]]), { dtype: "F16" });
  const view = new DataView(f16.buffer, f16.length - 131072);
  for (let h = 0; h < 65536; h++) {
    if ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0) continue; // NaN
    if (view.getUint16(2 * h, true) !== h) assert.fail(`F16 write of half 0x${h.toString(16)}`);
  }
});

Deno.test("bad headers give a clear SyntaxError", () => {
  const cases: ReadonlyArray<readonly [Uint8Array, RegExp]> = [
    [new Uint8Array(3), /expected at least 8 bytes, found 3/],
    [handBuilt("{}", []).map((b, i) => (i === 0 ? 200 : b)), /header length 200 exceeds/],
    [handBuilt("{not json", []), /not valid JSON/],
    [handBuilt("[1,2]", []), /start with "\{"/],
    [handBuilt('{"x":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}', [0]), /dtype "F8"/],
    [
      handBuilt('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /expected 8 bytes for F32 \[2\]/,
    ],
    [
      handBuilt('{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', [0, 0, 0, 0, 0, 0, 0, 0]),
      /starts at byte 4, expected 0/,
    ],
    [
      handBuilt('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0, 9]),
      /cover 4 data bytes, but the file holds 5/,
    ],
    [handBuilt('{"__metadata__":{"n":1}}', []), /metadata "n" to be a string/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => parseSafetensors(bytes, "bad.safetensors"), (error: unknown) => {
      assert(error instanceof SyntaxError);
      assert.match(error.message, /^Cannot read safetensors header of "bad.safetensors": /);
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("a missing tensor gives a RangeError naming it and the file", () => {
  const file = parseSafetensors(handBuilt(FIXTURE_HEADER, FIXTURE_DATA), "model.safetensors");
  assert.throws(
    () => decodeTensor(file, "pooler.dense.weight"),
    new RangeError(
      'Cannot find tensor "pooler.dense.weight" in "model.safetensors": it holds 4 tensors',
    ),
  );
});

Deno.test("writes and reads a file atomically, leaving no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "model.safetensors");
    const tensors = new Map<string, NamedTensor>([
      ["a.weight", { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) }],
    ]);
    await writeSafetensorsFile(path, tensors, { metadata: { format: "pt" } });
    const back = await readSafetensorsFile(path);
    assert.deepEqual([...back.tensors.get("a.weight")!.data], [1, 2, 3, 4, 5, 6]);
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names, ["model.safetensors"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
