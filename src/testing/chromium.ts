/**
 * Chromium for the browser tests: its path, or why it is absent (the tests are then ignored with
 * a message); with `CI=true` a missing Chromium is an error, since CI must run the browser tests.
 *
 * @module
 */

import { findChromium } from "../report/mod.ts";

/** What {@link chromiumForTests} found. */
export type ChromiumForTests =
  | { readonly kind: "present"; readonly path: string }
  | { readonly kind: "absent"; readonly reason: string };

let announced = false;

/**
 * Chromium's path for a browser test, or `absent` (a message saying the browser tests are
 * ignored is printed once). Throws when `CI=true` and no Chromium is found.
 */
export function chromiumForTests(): ChromiumForTests {
  const path = findChromium();
  if (path !== null) return { kind: "present", path };
  const reason = "no Chromium found (`deno task setup` installs Debian's chromium; " +
    "EMBEDDISTILL_CHROMIUM names another)";
  if (Deno.env.get("CI") === "true") {
    throw new Error(`Cannot run the browser tests with CI=true: ${reason}`);
  }
  if (!announced) {
    announced = true;
    // Test-only helper: the message is the point (tests ignored, and why).
    // deno-lint-ignore no-console
    console.error(`ignoring browser tests: ${reason}`);
  }
  return { kind: "absent", reason };
}
