/**
 * A report page opened in headless Chromium with the network off (DevTools
 * Network.emulateNetworkConditions offline): what a person would see, checked. Console errors,
 * uncaught exceptions and every request that is not for a local file are collected; each chart's
 * `<svg>` is measured and its marks counted; the results table's rows are listed; optionally a
 * PNG screenshot of the whole page is written.
 *
 * @module
 */

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type CdpConnection, connectCdp } from "./cdp.ts";
import { launchChromium } from "./chromium.ts";

/** One chart as rendered in the page. */
export interface RenderedChart {
  /** The figure's id (`chart-<chart id>`). */
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Data marks drawn (children of vega's `role-mark` groups). */
  readonly marks: number;
}

/** What the page showed. */
export interface PageCheck {
  readonly kind: "page-check";
  readonly title: string;
  readonly charts: readonly RenderedChart[];
  /** `data-cell` of each row of the results table, in order. */
  readonly tableRows: readonly string[];
  /** Console errors, uncaught exceptions, log errors. */
  readonly errors: readonly string[];
  /** Requests for anything but a local file (the page must need none). */
  readonly externalRequests: readonly string[];
  /** Full page size in CSS pixels. */
  readonly pageWidth: number;
  readonly pageHeight: number;
}

/** Options of {@link checkReportPage}. */
export interface PageCheckOptions {
  /** The Chromium binary (findChromium()). */
  readonly chromium: string;
  /** Write a PNG of the whole page here. */
  readonly screenshot?: string;
  /** Viewport width in CSS pixels (default 1500). */
  readonly width?: number;
}

/** Tallest screenshot taken (Chromium's texture limit is 16384 px). */
const MAX_SCREENSHOT_HEIGHT = 16_000;
const LOAD_TIMEOUT_MS = 60_000;

const INSPECT = `(() => {
  const charts = [...document.querySelectorAll("figure.chart")].map((f) => {
    const svg = f.querySelector("svg");
    const box = svg === null ? { width: 0, height: 0 } : svg.getBoundingClientRect();
    const marks = svg === null ? 0 : svg.querySelectorAll(".role-mark > *").length;
    return { id: f.id, width: box.width, height: box.height, marks };
  });
  const tableRows = [...document.querySelectorAll("#results tbody tr")]
    .map((r) => r.getAttribute("data-cell") ?? "");
  return JSON.stringify({ title: document.title, charts, tableRows });
})()`;

function describe(value: unknown): string {
  if (typeof value !== "object" || value === null) return String(value);
  const v = value as Record<string, unknown>;
  return String(v["value"] ?? v["description"] ?? v["unserializableValue"] ?? JSON.stringify(v));
}

async function waitForLoad(cdp: CdpConnection, sessionId: string, url: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loaded = new Promise<void>((done) => {
    cdp.onEvent((e) => {
      if (e.sessionId === sessionId && e.method === "Page.loadEventFired") done();
    });
  });
  const navigated = await cdp.send("Page.navigate", { url }, sessionId);
  if (typeof navigated["errorText"] === "string") {
    throw new Error(`Cannot open ${url} in Chromium: ${navigated["errorText"]}`);
  }
  try {
    await Promise.race([
      loaded,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${url} did not finish loading within ${LOAD_TIMEOUT_MS} ms`)),
          LOAD_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Open `htmlPath` in headless Chromium, offline, and report what it shows. */
export async function checkReportPage(
  htmlPath: string,
  options: PageCheckOptions,
): Promise<PageCheck> {
  const url = pathToFileURL(resolve(htmlPath)).href;
  const browser = await launchChromium(options.chromium);
  let cdp: CdpConnection | null = null;
  try {
    cdp = await connectCdp(browser.webSocketUrl);
    const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
    const attached = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
    const sessionId = String(attached["sessionId"]);
    const errors: string[] = [];
    const externalRequests: string[] = [];
    cdp.onEvent((e) => {
      if (e.sessionId !== sessionId) return;
      const p = e.params;
      if (e.method === "Runtime.consoleAPICalled" && p["type"] === "error") {
        errors.push(`console.error: ${(p["args"] as unknown[] ?? []).map(describe).join(" ")}`);
      } else if (e.method === "Runtime.exceptionThrown") {
        const d = p["exceptionDetails"] as Record<string, unknown>;
        errors.push(`exception: ${describe(d["exception"] ?? d["text"])}`);
      } else if (e.method === "Log.entryAdded") {
        const entry = p["entry"] as Record<string, unknown>;
        if (entry["level"] === "error") errors.push(`log: ${entry["text"]} ${entry["url"] ?? ""}`);
      } else if (e.method === "Network.requestWillBeSent") {
        const requested = String((p["request"] as Record<string, unknown>)["url"]);
        if (!requested.startsWith("file:") && !requested.startsWith("data:")) {
          externalRequests.push(requested);
        }
      }
    });
    await cdp.send("Runtime.enable", {}, sessionId);
    await cdp.send("Log.enable", {}, sessionId);
    await cdp.send("Page.enable", {}, sessionId);
    await cdp.send("Network.enable", {}, sessionId);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: true,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    }, sessionId);
    const width = options.width ?? 1500;
    await cdp.send("Emulation.setDeviceMetricsOverride", {
      width,
      height: 1000,
      deviceScaleFactor: 1,
      mobile: false,
    }, sessionId);
    await waitForLoad(cdp, sessionId, url);
    const evaluated = await cdp.send("Runtime.evaluate", {
      expression: INSPECT,
      returnByValue: true,
    }, sessionId);
    const inspected = JSON.parse(String((evaluated["result"] as Record<string, unknown>)["value"]));
    const metrics = await cdp.send("Page.getLayoutMetrics", {}, sessionId);
    const size = metrics["cssContentSize"] as { width: number; height: number };
    const pageHeight = Math.ceil(size.height);
    if (options.screenshot !== undefined) {
      const height = Math.min(pageHeight, MAX_SCREENSHOT_HEIGHT);
      await cdp.send("Emulation.setDeviceMetricsOverride", {
        width,
        height,
        deviceScaleFactor: 1,
        mobile: false,
      }, sessionId);
      const shot = await cdp.send("Page.captureScreenshot", {
        format: "png",
        clip: { x: 0, y: 0, width, height, scale: 1 },
        captureBeyondViewport: true,
      }, sessionId);
      const bytes = Uint8Array.from(atob(String(shot["data"])), (c) => c.charCodeAt(0));
      await Deno.writeFile(options.screenshot, bytes);
    }
    return {
      kind: "page-check",
      title: inspected.title,
      charts: inspected.charts,
      tableRows: inspected.tableRows,
      errors,
      externalRequests,
      pageWidth: Math.ceil(size.width),
      pageHeight,
    };
  } finally {
    await cdp?.close();
    await browser.close();
  }
}
