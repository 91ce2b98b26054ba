/**
 * A vega-lite specification rendered to SVG in-process: compiled by vega-lite, run by a vega View
 * with the headless renderer ("none"), serialised with `toSVG()`. No canvas, no browser.
 *
 * vega numbers the SVG's element ids (clip paths) with a process-wide counter, so the same chart
 * rendered twice in one process differs; and two charts inline in one page could share an id.
 * Ids are therefore renamed `<prefix>-1`, `<prefix>-2`, ... in order of appearance.
 *
 * @module
 */

import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** `svg` with every element id renamed `<prefix>-<n>` (n in order of appearance) and its references. */
export function renumberSvgIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!ids.has(m[1]!)) ids.set(m[1]!, `${prefix}-${ids.size + 1}`);
  }
  if (ids.size === 0) return svg;
  return svg.replace(
    /(\sid=")([^"]+)(")|(url\(#)([^)]+)(\))|(href="#)([^"]+)(")/g,
    (all, a1, id1, a3, b1, id2, b3, c1, id3, c3) => {
      if (id1 !== undefined) return ids.has(id1) ? `${a1}${ids.get(id1)}${a3}` : all;
      if (id2 !== undefined) return ids.has(id2) ? `${b1}${ids.get(id2)}${b3}` : all;
      return ids.has(id3) ? `${c1}${ids.get(id3)}${c3}` : all;
    },
  );
}

/** The SVG text of `spec`, its ids prefixed with `idPrefix` (same spec, same bytes). */
export async function renderSvg(spec: TopLevelSpec, idPrefix = "chart"): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return renumberSvgIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}
