/**
 * The check's decisions: measure each bench, judge it against the baseline, re-run a bench that
 * looks slower once and call it slower only when the re-run confirms it (a noisy machine's single
 * slow spell never fails the check), and the baseline that `--update` writes with what moved.
 * Measuring is passed in, so the decisions are tested with fake measurements.
 *
 * @module
 */

import type { BaselineEntry, BaselineFile } from "./baseline.ts";
import type { RatioSummary } from "./stats.ts";
import { judge, type Judgement, type MeasuredRatio } from "./verdict.ts";

/** One bench measured against its reference. */
export interface Measurement extends RatioSummary, MeasuredRatio {
  readonly bench: string;
}

/** A bench's outcome: the measurement judged (the re-run's when there was one). */
export interface BenchOutcome {
  readonly bench: string;
  readonly measurement: Measurement;
  readonly judgement: Judgement;
  readonly threshold: number;
  readonly baseline: BaselineEntry | undefined;
  /** The first measurement when it looked slower and was re-run. */
  readonly first?: Measurement;
}

/** Whether the check fails: some bench confirmed slower. */
export function failed(outcomes: readonly BenchOutcome[]): boolean {
  return outcomes.some((o) => o.judgement.verdict === "slower" && o.first !== undefined);
}

/** What the check needs from its caller. */
export interface CheckPlan {
  readonly benches: readonly string[];
  readonly baseline: BaselineFile;
  /** The threshold of bench `name`. */
  readonly thresholdOf: (name: string) => number;
  readonly measure: (name: string) => Promise<Measurement>;
  /** Progress lines (stderr). */
  readonly log?: (line: string) => void;
}

/** Measure and judge every bench of `plan`, re-running the ones that look slower once. */
export async function checkBenches(plan: CheckPlan): Promise<BenchOutcome[]> {
  const outcomes: BenchOutcome[] = [];
  for (const bench of plan.benches) {
    const threshold = plan.thresholdOf(bench);
    const baseline = plan.baseline.benches[bench];
    const measurement = await plan.measure(bench);
    const judgement = judge(measurement, baseline, threshold);
    if (judgement.verdict !== "slower") {
      outcomes.push({ bench, measurement, judgement, threshold, baseline });
      continue;
    }
    plan.log?.(
      `${bench}: ratio ${measurement.ratio.toFixed(3)} vs baseline ${baseline!.ratio.toFixed(3)} ` +
        `(${signedPercent(judgement.change!)}) looks slower; re-running it once to confirm`,
    );
    const again = await plan.measure(bench);
    const second = judge(again, baseline, threshold);
    outcomes.push({
      bench,
      measurement: again,
      judgement: second.verdict === "slower"
        ? { ...second, reason: `${second.reason}, confirmed by the re-run` }
        : {
          ...second,
          reason: `${second.reason}; the first run's ${
            signedPercent(judgement.change!)
          } was not confirmed`,
        },
      threshold,
      baseline,
      first: measurement,
    });
  }
  return outcomes;
}

/** `+12 %` / `-3 %`. */
export function signedPercent(change: number): string {
  return `${change >= 0 ? "+" : ""}${(100 * change).toFixed(0)} %`;
}

/** `value` to `digits` significant digits (the baseline file stays readable). */
function round(value: number, digits: number): number {
  return Number(value.toPrecision(digits));
}

/**
 * The baseline with `outcomes`' measurements (benches not measured are kept) and one line per
 * bench that moved or is new.
 */
export function updateBaseline(
  old: BaselineFile,
  outcomes: readonly BenchOutcome[],
  machine: string,
  date: string,
  note: string,
): { readonly file: BaselineFile; readonly moved: readonly string[] } {
  const benches: Record<string, BaselineEntry> = { ...old.benches };
  const moved: string[] = [];
  for (const o of outcomes) {
    const m = o.measurement;
    const before = old.benches[o.bench];
    benches[o.bench] = {
      ratio: round(m.ratio, 4),
      spread: round(m.spread, 3),
      threshold: before?.threshold ?? o.threshold,
      reference: m.reference,
      workload: m.workload,
      backend: m.backend,
      threads: m.threads,
      blas: m.blas,
      machine,
      date,
    };
    if (before === undefined) {
      moved.push(`${o.bench}: new, ratio ${m.ratio.toFixed(3)}`);
    } else if (o.judgement.verdict === "incomparable") {
      moved.push(
        `${o.bench}: replaced (${o.judgement.reason}), ratio ${before.ratio.toFixed(3)} -> ${
          m.ratio.toFixed(3)
        }`,
      );
    } else if (o.judgement.verdict !== "same") {
      moved.push(
        `${o.bench}: ${o.judgement.verdict}, ratio ${before.ratio.toFixed(3)} -> ${
          m.ratio.toFixed(3)
        } (${signedPercent(m.ratio / before.ratio - 1)})`,
      );
    }
  }
  return { file: { kind: "bench-baseline", version: 1, note, benches }, moved };
}
