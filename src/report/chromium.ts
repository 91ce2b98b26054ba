/**
 * Finding and starting headless Chromium (Debian's `chromium` package) with the DevTools protocol
 * on a local port: `--no-sandbox` (the suite runs as root), a throw-away profile, the WebSocket
 * address read from Chromium's stderr.
 *
 * @module
 */

import { existsSync } from "node:fs";

/** Where Chromium is looked for when `EMBEDDISTILL_CHROMIUM` is not set. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** Chromium's path: `EMBEDDISTILL_CHROMIUM` when set (it must exist), else the first candidate found, else null. */
export function findChromium(): string | null {
  const configured = Deno.env.get("EMBEDDISTILL_CHROMIUM");
  if (configured !== undefined && configured !== "") {
    if (!existsSync(configured)) {
      throw new Error(
        `EMBEDDISTILL_CHROMIUM is "${configured}", which does not exist: expected a Chromium binary`,
      );
    }
    return configured;
  }
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** A running headless Chromium. */
export interface Chromium {
  /** The browser's DevTools WebSocket address. */
  readonly webSocketUrl: string;
  /** Stop Chromium and remove its profile (idempotent). */
  close(): Promise<void>;
}

/** How long Chromium may take to print its DevTools address. */
const START_TIMEOUT_MS = 30_000;

/** Start headless Chromium at `path` with the DevTools protocol on a free local port. */
export async function launchChromium(path: string): Promise<Chromium> {
  const profile = await Deno.makeTempDir({ prefix: "embeddistill-chromium-" });
  const child = new Deno.Command(path, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-sync",
      "--hide-scrollbars",
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
    await child.status;
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const url = await Promise.race([
      (async () => {
        while (true) {
          const { value, done } = await reader.read();
          if (done) {
            throw new Error(
              `Chromium at "${path}" exited before printing its DevTools address; stderr: ${
                seen.slice(-2000)
              }`,
            );
          }
          seen += value;
          const found = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
          if (found !== null) return found[1]!;
        }
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `Chromium at "${path}" printed no DevTools address within ${START_TIMEOUT_MS} ms`,
              ),
            ),
          START_TIMEOUT_MS,
        );
      }),
    ]);
    // Keep draining stderr so Chromium never blocks on a full pipe.
    (async () => {
      try {
        while (!(await reader.read()).done) { /* discard */ }
      } catch {
        // The process was killed.
      }
    })();
    return { webSocketUrl: url, close };
  } catch (error) {
    await close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
