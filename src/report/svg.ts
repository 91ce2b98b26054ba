/**
 * A vega-lite specification rendered to SVG in-process: compiled by vega-lite, run by a vega View
 * with the headless renderer ("none"), serialised with `toSVG()`. No canvas, no browser.
 *
 * @module
 */

import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** The SVG text of `spec` (deterministic for the same spec). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
