/**
 * Locating the shared real-data folder (`EMBEDDISTILL_SHARED`, default `../shared` beside the repo)
 * for tests and benchmarks: absent on a user's fresh clone (tests are ignored with a message),
 * mandatory when `CI=true`.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (two levels above this file). */
export const REPO_ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** What `sharedData()` found: the folder, or why it is not there. */
export type SharedData =
  | { readonly kind: "present"; readonly dir: string }
  | { readonly kind: "absent"; readonly dir: string; readonly reason: string };

/**
 * Resolve the shared data folder. Throws when `CI=true` and the folder is missing, since CI must
 * always run the real-data tests.
 */
export function sharedData(): SharedData {
  const configured = Deno.env.get("EMBEDDISTILL_SHARED");
  const dir = configured ?? join(REPO_ROOT, "..", "shared");
  if (existsSync(join(dir, "data"))) return { kind: "present", dir };
  const reason = `shared data folder "${dir}" has no data/ (set EMBEDDISTILL_SHARED to override)`;
  if (Deno.env.get("CI") === "true") {
    throw new Error(`Cannot run real-data tests with CI=true: ${reason}`);
  }
  return { kind: "absent", dir, reason };
}

const announced = new Set<string>();

/**
 * Path of a file or folder under `shared/data/`, or `undefined` when the shared folder is absent
 * (a message saying which tests are ignored is printed once per file to stderr).
 *
 * @example
 * ```ts
 * const qrels = sharedPath("metric-oracle/tiny.qrels.txt");
 * Deno.test({ name: "oracle", ignore: qrels === undefined, fn: () => {} });
 * ```
 */
export function sharedPath(relative: string): string | undefined {
  const found = sharedData();
  if (found.kind === "present") return join(found.dir, "data", relative);
  if (!announced.has(relative)) {
    announced.add(relative);
    // Test-only helper: the message is the point (tests ignored, and why).
    // deno-lint-ignore no-console
    console.error(`ignoring tests that need shared/data/${relative}: ${found.reason}`);
  }
  return undefined;
}
