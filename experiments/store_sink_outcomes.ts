/**
 * Feeding the runner's cell outcomes to a {@link ResultsSink} from its synchronous progress
 * callback: each record is written behind the run, in order, while the next cell computes.
 *
 * @module
 */

import { formatCellId } from "./cell_id.ts";
import type { CellOutcome } from "./runner.ts";
import type { ResultsSink } from "./store_sink.ts";

/** Queues outcomes' records for the store; {@link OutcomeWriter.flush} waits for them. */
export interface OutcomeWriter {
  /**
   * Queue `outcome`'s record: `ok` and `failed` cells always, `reused` ones (records found on disk)
   * when the store does not hold them yet; `skipped` cells have no record. Returns at once.
   */
  readonly onOutcome: (outcome: CellOutcome) => void;
  /** Wait for every queued write; the first failed write is thrown. Resolves to the count written. */
  readonly flush: () => Promise<number>;
}

/**
 * An {@link OutcomeWriter} into `sink`; `stored` holds the ids of the cells the store already has
 * `ok` (`await sink.finished()` at the start of the run). After a failed write nothing more is
 * written (the records stay on disk for `deno task import-runs`).
 *
 * @example
 * ```ts
 * const writer = outcomeWriter(sink, await sink.finished());
 * const outcomes = await runCells(plan, run, (event) => {
 *   if (event.kind === "cell-end") writer.onOutcome(event.outcome);
 * });
 * await writer.flush();
 * ```
 */
export function outcomeWriter(sink: ResultsSink, stored: ReadonlySet<string>): OutcomeWriter {
  let chain: Promise<void> = Promise.resolve();
  let written = 0;
  let failure: { readonly error: unknown } | null = null;
  return {
    onOutcome(outcome: CellOutcome): void {
      if (outcome.kind === "skipped") return;
      if (outcome.kind === "reused" && stored.has(formatCellId(outcome.cell))) return;
      const record = outcome.record;
      chain = chain.then(async () => {
        if (failure !== null) return;
        try {
          await sink.writeCell(record);
          written++;
        } catch (error) {
          failure = { error };
        }
      });
    },
    async flush(): Promise<number> {
      await chain;
      if (failure !== null) throw failure.error;
      return written;
    },
  };
}
