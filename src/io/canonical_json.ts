/**
 * Canonical JSON (object keys sorted, no whitespace; RFC 8785's key order) and the SHA-256 of a
 * text: what configs are hashed with to name cached artefacts and stored results.
 *
 * @module
 */

import { createHash } from "node:crypto";

function write(value: unknown, path: string, out: string[]): void {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    out.push(JSON.stringify(value));
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new RangeError(
        `Cannot write canonical JSON: the number at "${path}" is ${value}, expected a finite number`,
      );
    }
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item: unknown, i: number) => {
      if (i > 0) out.push(",");
      write(item, `${path}[${i}]`, out);
    });
    out.push("]");
  } else if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as { readonly [key: string]: unknown };
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    out.push("{");
    keys.forEach((key, i) => {
      if (i > 0) out.push(",");
      out.push(JSON.stringify(key), ":");
      write(record[key]!, `${path}.${key}`, out);
    });
    out.push("}");
  } else {
    throw new TypeError(
      `Cannot write canonical JSON: the value at "${path}" is ${
        describe(value)
      }, expected JSON data (string, finite number, boolean, null, array or plain object)`,
    );
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "object" && value !== null) {
    return `an instance of ${value.constructor?.name ?? "Object"}`;
  }
  return `a ${typeof value}`;
}

/**
 * The canonical JSON text of `value`: object keys sorted by UTF-16 code units, no whitespace,
 * numbers and strings as `JSON.stringify` writes them (the key-ordering rule of RFC 8785, JCS).
 * Properties set to `undefined` are omitted; a non-finite number is a RangeError, any other
 * non-JSON value (undefined in an array, a Date, a Map, a function) a TypeError.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, "x"] }); // '{"a":[true,"x"],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, "$", out);
  return out.join("");
}

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Text(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
