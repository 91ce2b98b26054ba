import assert from "node:assert/strict";
import type { TopLevelSpec } from "vega-lite";
import { renderSvg, renumberSvgIds } from "./svg.ts";

const LINE: TopLevelSpec = {
  data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }, { x: 3, y: 1 }] },
  mark: { type: "line", clip: true },
  encoding: {
    x: { field: "x", type: "quantitative" },
    y: { field: "y", type: "quantitative" },
  },
};

Deno.test("renderSvg: an SVG with sizes and a data mark, byte-identical when rendered again in the same process", async () => {
  const a = await renderSvg(LINE, "line");
  const b = await renderSvg(LINE, "line");
  assert.match(a, /^<svg [^>]*width="\d+" height="\d+"/);
  assert.match(a, /class="mark-line role-mark/);
  assert.match(a, /clip-path="url\(#line-1\)"/);
  assert.equal(a, b);
});

Deno.test("renumberSvgIds: declared ids and their url(#) / href=# references renamed in order; others kept", () => {
  const svg = '<svg><clipPath id="clip7"/><clipPath id="clip3"/><g clip-path="url(#clip3)"/>' +
    '<use href="#clip7"/><g clip-path="url(#elsewhere)"/></svg>';
  assert.equal(
    renumberSvgIds(svg, "p"),
    '<svg><clipPath id="p-1"/><clipPath id="p-2"/><g clip-path="url(#p-2)"/>' +
      '<use href="#p-1"/><g clip-path="url(#elsewhere)"/></svg>',
  );
});
