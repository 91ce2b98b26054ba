/**
 * A run's claim verdicts in the store (written as one set: a rerun's verdicts replace the last).
 *
 * @module
 */

import type { Store } from "./open_store.ts";

/** A claim's verdict (structurally experiments' ClaimVerdict, plus an optional p-value). */
export interface ClaimInput {
  readonly id: string;
  readonly statement: string;
  /** `holds`, `fails`, `inconclusive` or `not measured`. */
  readonly verdict: string;
  /** The numbers the verdict rests on, one line. */
  readonly evidence: string;
  /** The p-value the verdict rests on, when there is one. */
  readonly pValue?: number | null;
}

/** A stored claim. */
export interface StoredClaim {
  readonly id: string;
  readonly statement: string;
  readonly verdict: string;
  readonly evidence: string;
  readonly pValue: number | null;
}

/** Replace the claims of run `runId` by `claims`, in one transaction. */
export async function writeClaims(
  store: Store,
  runId: number,
  claims: readonly ClaimInput[],
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("claims").where("run_id", "=", runId).execute();
    if (claims.length === 0) return;
    await trx.insertInto("claims").values(claims.map((c) => ({
      run_id: runId,
      claim_id: c.id,
      statement: c.statement,
      verdict: c.verdict,
      evidence: c.evidence,
      p_value: c.pValue ?? null,
    }))).execute();
  });
}

/** The claims of run `runId`, by claim id. */
export async function readClaims(store: Store, runId: number): Promise<StoredClaim[]> {
  const rows = await store.db.selectFrom("claims").selectAll().where("run_id", "=", runId)
    .orderBy("claim_id").execute();
  return rows.map((r) => ({
    id: r.claim_id,
    statement: r.statement,
    verdict: r.verdict,
    evidence: r.evidence,
    pValue: r.p_value,
  }));
}
