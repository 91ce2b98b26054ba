/**
 * Reading and writing the safetensors checkpoint format (Hugging Face): an 8-byte little-endian
 * header length, a JSON header (`__metadata__` plus `{dtype, shape, data_offsets}` per tensor,
 * space-padded), then the raw little-endian tensor bytes.
 *
 * Format reference: https://github.com/huggingface/safetensors (README, "Format").
 *
 * @module
 */

import type { NamedTensor, NamedTensors } from "./config.ts";
import { writeFileAtomic } from "../io/mod.ts";
import { float16Table, float32ToFloat16Bits } from "../io/mod.ts";

/** Element types this module decodes, with their sizes in bytes (safetensors `Dtype` names). */
export const SAFETENSORS_DTYPE_SIZES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
} as const;

/** A dtype this module can decode. */
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPE_SIZES;

/** One tensor's header entry; `begin`/`end` are byte offsets into the data section. */
export interface SafetensorsEntry {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/** A parsed file: metadata, entries in header order, and the data section (not yet decoded). */
export interface SafetensorsFile {
  readonly source: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  readonly data: Uint8Array;
}

/** Decoded contents: metadata and every tensor as float32 (PyTorch layouts, row-major). */
export interface SafetensorsContents {
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: NamedTensors;
}

/** Options for writing. */
export interface SafetensorsWriteOptions {
  /** String-to-string metadata stored under `__metadata__`. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Element type of the stored data: `F32` (default, bit-exact) or `F16` (round to nearest even). */
  readonly dtype?: "F32" | "F16";
}

/** The reference implementation rejects headers above 100 MB; so does this one. */
const MAX_HEADER_BYTES = 100_000_000;

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === "string" && Object.hasOwn(SAFETENSORS_DTYPE_SIZES, value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Parse the header of a safetensors byte buffer and validate every entry (known dtype, integer
 * shape, offsets matching the shape, data section fully covered without holes or overlaps).
 * Throws SyntaxError for a malformed header, naming `source`.
 */
export function parseSafetensors(bytes: Uint8Array, source = "safetensors data"): SafetensorsFile {
  const fail = (what: string): never => {
    throw new SyntaxError(`Cannot read safetensors header of "${source}": ${what}`);
  };
  if (bytes.length < 8) fail(`expected at least 8 bytes, found ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    fail(`header length ${headerLength} exceeds the ${bytes.length - 8} bytes after the prefix`);
  }
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    fail(`header length ${headerLength} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  }
  const n = Number(headerLength);
  let text = "";
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail("the header is not valid UTF-8");
  }
  if (!text.startsWith("{")) fail(`expected the JSON header to start with "{"`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`the header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    fail("expected the header to be a JSON object");
  }
  const data = bytes.subarray(8 + n);
  const metadata: Record<string, string> = {};
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        fail(`expected "__metadata__" to be an object, found ${JSON.stringify(raw)}`);
      }
      for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value !== "string") {
          fail(`expected metadata "${key}" to be a string, found ${JSON.stringify(value)}`);
        }
        metadata[key] = value as string;
      }
      continue;
    }
    const entry = raw as Record<string, unknown> | null;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      fail(`expected tensor "${name}" to be an object, found ${JSON.stringify(raw)}`);
    }
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (!isDtype(dtype)) {
      fail(
        `tensor "${name}" has dtype ${JSON.stringify(dtype)}, expected one of ${
          Object.keys(SAFETENSORS_DTYPE_SIZES).join(", ")
        }`,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) {
      fail(`tensor "${name}" has shape ${JSON.stringify(shape)}, expected non-negative integers`);
    }
    if (
      !Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger)
    ) {
      fail(`tensor "${name}" has data_offsets ${JSON.stringify(offsets)}, expected [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    const size = SAFETENSORS_DTYPE_SIZES[dtype as SafetensorsDtype];
    const expected = elementCount(shape as number[]) * size;
    if (end < begin || end - begin !== expected) {
      fail(
        `tensor "${name}" spans bytes [${begin}, ${end}), expected ${expected} bytes for ${dtype} ${
          JSON.stringify(shape)
        }`,
      );
    }
    entries.set(name, { dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end });
  }
  const spans = [...entries.entries()].sort((a, b) =>
    a[1].begin - b[1].begin || a[1].end - b[1].end
  );
  let covered = 0;
  for (const [name, { begin, end }] of spans) {
    if (begin !== covered) {
      fail(
        `tensor "${name}" starts at byte ${begin}, expected ${covered} (the data must be contiguous)`,
      );
    }
    covered = end;
  }
  if (covered !== data.length) {
    fail(`the tensors cover ${covered} data bytes, but the file holds ${data.length}`);
  }
  return { source, metadata, entries, data };
}

/** Decode one entry's bytes to float32 values (integers and booleans are converted too). */
function decodeEntry(bytes: Uint8Array, entry: SafetensorsEntry): Float32Array {
  const count = elementCount(entry.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset + entry.begin, entry.end - entry.begin);
  const out = new Float32Array(count);
  switch (entry.dtype) {
    case "F32":
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case "F64":
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case "F16": {
      const table = float16Table();
      for (let i = 0; i < count; i++) out[i] = table[view.getUint16(2 * i, true)]!;
      break;
    }
    case "BF16": {
      const bits = new Uint32Array(out.buffer);
      // bfloat16 is the upper half of a float32: same host order for the int and float views.
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      break;
    }
    case "I64":
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(8 * i, true));
      break;
    case "I32":
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
      break;
    case "I16":
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, true);
      break;
    case "I8":
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case "U8":
    case "BOOL":
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      break;
    default: {
      const unreachable: never = entry.dtype;
      throw new TypeError(`Cannot decode dtype ${JSON.stringify(unreachable)}`);
    }
  }
  return out;
}

/** Decode one tensor by name; throws RangeError naming the file when it is missing. */
export function decodeTensor(file: SafetensorsFile, name: string): NamedTensor {
  const entry = file.entries.get(name);
  if (entry === undefined) {
    throw new RangeError(
      `Cannot find tensor "${name}" in "${file.source}": it holds ${file.entries.size} tensors`,
    );
  }
  return { shape: [...entry.shape], data: decodeEntry(file.data, entry) };
}

/** Parse and decode every tensor of a safetensors buffer to float32. */
export function readSafetensors(bytes: Uint8Array, source?: string): SafetensorsContents {
  const file = parseSafetensors(bytes, source);
  const tensors = new Map<string, NamedTensor>();
  for (const name of file.entries.keys()) tensors.set(name, decodeTensor(file, name));
  return { metadata: file.metadata, tensors };
}

/**
 * Encode tensors as safetensors bytes: tensors in name order, header padded with spaces so the
 * data starts at an 8-byte boundary. Throws TypeError when a tensor's data does not fit its shape.
 */
export function encodeSafetensors(
  tensors: NamedTensors,
  options: SafetensorsWriteOptions = {},
): Uint8Array {
  const dtype = options.dtype ?? "F32";
  const size = SAFETENSORS_DTYPE_SIZES[dtype];
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (options.metadata !== undefined) header["__metadata__"] = { ...options.metadata };
  let offset = 0;
  for (const name of names) {
    const tensor = tensors.get(name)!;
    const count = elementCount(tensor.shape);
    if (tensor.data.length !== count || !tensor.shape.every(isNonNegativeInteger)) {
      throw new TypeError(
        `Cannot write tensor "${name}": shape ${
          JSON.stringify(tensor.shape)
        } needs ${count} values, found ${tensor.data.length}`,
      );
    }
    header[name] = {
      dtype,
      shape: [...tensor.shape],
      data_offsets: [offset, offset + count * size],
    };
    offset += count * size;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const padding = (8 - (headerBytes.length % 8)) % 8;
  if (padding > 0) {
    json += " ".repeat(padding);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const { data } = tensors.get(name)!;
    if (dtype === "F32") {
      for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i]!, true);
    } else {
      for (let i = 0; i < data.length; i++) {
        view.setUint16(at + 2 * i, float32ToFloat16Bits(data[i]!), true);
      }
    }
    at += data.length * size;
  }
  return out;
}

/** Read and decode a `.safetensors` file. */
export async function readSafetensorsFile(path: string): Promise<SafetensorsContents> {
  return readSafetensors(await Deno.readFile(path), path);
}

/** Write a `.safetensors` file atomically (temporary file + rename). */
export async function writeSafetensorsFile(
  path: string,
  tensors: NamedTensors,
  options: SafetensorsWriteOptions = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, options));
}
