/**
 * The display of a training run every CLI shares: the step bar (loss and its terms, agreement,
 * rate, ETA) and a kept line per dev evaluation, checkpoint and resume.
 *
 * @module
 */

import type { Agreement, TrainingEvent } from "../distill/mod.ts";
import { formatDuration, formatValue, ProgressBar, type ProgressSink } from "./progress.ts";

/** Renders training events (to stderr through `sink`): the step bar, and a kept line per evaluation and checkpoint. */
export function trainingRenderer(sink: ProgressSink): {
  readonly onEvent: (event: TrainingEvent) => void;
  readonly finish: () => void;
} {
  const bar = new ProgressBar(sink, { label: "train" });
  // Agreement comes every few steps; the latest stays on the line until the next.
  let agreement: Agreement | undefined;
  const onEvent = (event: TrainingEvent): void => {
    switch (event.kind) {
      case "step":
        agreement = event.agreement ?? agreement;
        bar.update({
          done: event.step,
          total: event.totalSteps,
          fields: [
            ["loss", formatValue(event.loss)],
            ...Object.entries(event.terms).map(([k, x]) => [k, formatValue(x)] as const),
            ...(agreement === undefined ? [] : [
              ["cos", formatValue(agreement.queryCosine)] as const,
              ["corr", formatValue(agreement.scoreCorrelation)] as const,
            ]),
          ],
          rate: `${event.examplesPerSecond.toFixed(1)} ex/s`,
          etaSeconds: event.etaSeconds,
        });
        return;
      case "eval": {
        const metrics = Object.entries(event.record.metrics)
          .map(([k, x]) => `${k} ${x.toFixed(4)}`).join(" ");
        const best = event.best ? " (best)" : "";
        bar.log(
          `eval step ${event.record.step}: ${metrics}${best} [${formatSeconds(event.seconds)}]`,
        );
        return;
      }
      case "checkpoint":
        bar.log(`checkpoint step ${event.step}: ${event.dir}`);
        return;
      case "resumed":
        bar.log(`resumed at step ${event.step} from ${event.dir}`);
        return;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  };
  return { onEvent, finish: () => bar.finish() };
}

/** Seconds for a log line: `0.42s` under a minute, else as {@link formatDuration}. */
function formatSeconds(seconds: number): string {
  return seconds < 60 ? `${seconds.toFixed(2)}s` : formatDuration(seconds);
}
