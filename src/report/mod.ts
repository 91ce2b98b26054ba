/**
 * Reports rendered from the results store alone: the table (mean ± sd over seeds, retention,
 * significance marks from the stored comparisons), the paper's values stored with the run, the
 * claims' verdicts, the calibration checks and the provenance; charts as vega-lite specs rendered
 * to SVG in-process; run-vs-run comparisons on per-query values; and a headless Chromium check of
 * the HTML page (with a screenshot).
 *
 * @module
 */

export { type ReportLayout, type ReportRow, rowKey } from "./layout.ts";
export { type CellSummary, summarizeCells } from "./summary.ts";
export {
  type CurvePoint,
  loadReport,
  type PaperEntry,
  type ReportData,
  ReportRunError,
  resolveRunId,
  type RowData,
} from "./load.ts";
export { type Mark, REPORT_ALPHA, type ReportTable, reportTable, type TableCell } from "./table.ts";
export { type ChartFile, type ChartSpec, reportCharts } from "./charts.ts";
export { renderSvg, renumberSvgIds } from "./svg.ts";
export { type ProvenanceItem, provenanceItems } from "./provenance.ts";
export { renderText } from "./text.ts";
export { renderMarkdown } from "./markdown.ts";
export { escapeHtml, renderHtml } from "./html.ts";
export {
  buildReport,
  type BuiltReport,
  DEFAULT_REPORTS_DIR,
  writeReport,
  type WrittenReport,
} from "./build.ts";
export { type Chromium, CHROMIUM_CANDIDATES, findChromium, launchChromium } from "./chromium.ts";
export { type CdpConnection, type CdpEvent, connectCdp } from "./cdp.ts";
export {
  checkReportPage,
  type PageCheck,
  type PageCheckOptions,
  type RenderedChart,
} from "./page_check.ts";
export {
  compareRuns,
  differenceText,
  RUN_COMPARISON_TEST,
  type RunComparison,
  type RunDifference,
} from "./compare.ts";
export {
  renderComparisonHtml,
  renderComparisonMarkdown,
  renderComparisonText,
} from "./compare_render.ts";
export {
  normalisedDelta,
  regressChart,
  type RegressHistory,
  regressHistory,
  type RegressRunColumn,
  type RegressValueRow,
  renderRegressHtml,
  renderRegressMarkdown,
  renderRegressText,
} from "./regress_history.ts";
