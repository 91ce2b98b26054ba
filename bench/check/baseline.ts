/**
 * bench/baseline.json: the committed ratio of every bench (with its spread, threshold, reference,
 * backend, threads, BLAS, machine and date), read with validation errors that name the file, the
 * bench and the field, and written back (sorted, 2-space JSON) by `bench:check --update`.
 *
 * @module
 */

/** One bench's accepted numbers. */
export interface BaselineEntry {
  readonly ratio: number;
  readonly spread: number;
  readonly threshold: number;
  readonly reference: string;
  /** The case's workload in words (SciFact or the generated stand-in, sizes). */
  readonly workload: string;
  readonly backend: string;
  readonly threads: number;
  /** The BLAS the bench ran on, null when none. */
  readonly blas: string | null;
  readonly machine: string;
  /** ISO 8601 date of the measurement. */
  readonly date: string;
}

/** The baseline file. */
export interface BaselineFile {
  readonly kind: "bench-baseline";
  readonly version: 1;
  /** How the numbers were taken (machine load, repeats), free text. */
  readonly note: string;
  readonly benches: Readonly<Record<string, BaselineEntry>>;
}

/** A baseline file that cannot be used, with where and what. */
export class BaselineError extends Error {
  override readonly name = "BaselineError";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function entry(path: string, bench: string, value: unknown): BaselineEntry {
  const where = `${path}: bench "${bench}"`;
  if (!isRecord(value)) {
    throw new BaselineError(`${where} is ${JSON.stringify(value)}, expected an object`);
  }
  const number = (field: string, positive: boolean): number => {
    const v = value[field];
    if (typeof v !== "number" || !Number.isFinite(v) || (positive ? v <= 0 : v < 0)) {
      throw new BaselineError(
        `${where}: "${field}" is ${JSON.stringify(v)}, expected a ${
          positive ? "positive" : "non-negative"
        } number`,
      );
    }
    return v;
  };
  const text = (field: string): string => {
    const v = value[field];
    if (typeof v !== "string" || v === "") {
      throw new BaselineError(
        `${where}: "${field}" is ${JSON.stringify(v)}, expected a non-empty string`,
      );
    }
    return v;
  };
  const blas = value["blas"];
  if (blas !== null && (typeof blas !== "string" || blas === "")) {
    throw new BaselineError(`${where}: "blas" is ${JSON.stringify(blas)}, expected a name or null`);
  }
  const threads = number("threads", true);
  if (!Number.isInteger(threads)) {
    throw new BaselineError(`${where}: "threads" is ${threads}, expected an integer`);
  }
  return {
    ratio: number("ratio", true),
    spread: number("spread", false),
    threshold: number("threshold", true),
    reference: text("reference"),
    workload: text("workload"),
    backend: text("backend"),
    threads,
    blas,
    machine: text("machine"),
    date: text("date"),
  };
}

/** Validate parsed JSON as a baseline file (`path` names it in errors). */
export function parseBaseline(path: string, value: unknown): BaselineFile {
  if (!isRecord(value)) throw new BaselineError(`${path}: expected a JSON object`);
  if (value["kind"] !== "bench-baseline") {
    throw new BaselineError(
      `${path}: "kind" is ${JSON.stringify(value["kind"])}, expected "bench-baseline"`,
    );
  }
  if (value["version"] !== 1) {
    throw new BaselineError(
      `${path}: "version" is ${JSON.stringify(value["version"])}, expected 1`,
    );
  }
  const benches = value["benches"];
  if (!isRecord(benches)) throw new BaselineError(`${path}: "benches" must be an object`);
  const note = value["note"];
  return {
    kind: "bench-baseline",
    version: 1,
    note: typeof note === "string" ? note : "",
    benches: Object.fromEntries(Object.entries(benches).map(([b, e]) => [b, entry(path, b, e)])),
  };
}

/** Read `path`; a missing file is an empty baseline (every bench "new"). */
export async function readBaseline(path: string): Promise<BaselineFile> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { kind: "bench-baseline", version: 1, note: "", benches: {} };
    }
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`${path}: not JSON (${(error as Error).message})`);
  }
  return parseBaseline(path, parsed);
}

/** The file's text: benches sorted by name, 2-space JSON, trailing newline. */
export function formatBaseline(file: BaselineFile): string {
  const benches = Object.fromEntries(
    Object.keys(file.benches).sort().map((b) => [b, file.benches[b]!]),
  );
  return JSON.stringify({ ...file, benches }, null, 2) + "\n";
}

/**
 * A line saying which of `benches`' baseline entries were measured on another machine than
 * `machine` (formatMachine's text), or null when all were measured here (or are new). A ratio to a
 * fixed reference cancels a machine's speed but not its cache, SIMD width or BLAS build, so such a
 * comparison is kept but flagged, with how to take a local baseline.
 */
export function machineNote(
  file: BaselineFile,
  benches: readonly string[],
  machine: string,
): string | null {
  const elsewhere = new Map<string, string[]>();
  for (const bench of benches) {
    const entry = file.benches[bench];
    if (entry === undefined || entry.machine === machine) continue;
    elsewhere.set(entry.machine, [...(elsewhere.get(entry.machine) ?? []), bench]);
  }
  if (elsewhere.size === 0) return null;
  const parts = [...elsewhere].map(([m, b]) => `${b.length} on "${m}" (${b.join(", ")})`);
  return `baseline measured on another machine than this one ("${machine}"): ${
    parts.join("; ")
  }; ratios to a fixed reference travel between machines only roughly. For a baseline of this ` +
    `machine, run bench:check --update and commit bench/baseline.json.`;
}
