import assert from "node:assert/strict";
import { join } from "node:path";
import { type DualEncoderSpec, initModelWeights } from "../../models/mod.ts";
import {
  checkpointName,
  readLatestCheckpoint,
  type TrainerState,
  writeCheckpoint,
} from "./checkpoint.ts";
import { encoderConfig } from "../../testing/mod.ts";

const SPEC: DualEncoderSpec = {
  kind: "dual",
  towers: { kind: "shared", tower: { encoder: encoderConfig(30, 8, 1, 2) } },
  pooling: "cls",
  similarity: { kind: "dot" },
  queryMaxLength: 8,
  documentMaxLength: 8,
};

function contents(step: number) {
  const weights = initModelWeights(SPEC, step);
  const moment = new Map(
    [...weights].map(([n, x]) => [n, { shape: x.shape, data: x.data.map((v) => v * step) }]),
  );
  const state: TrainerState = {
    step,
    seed: 3,
    epoch: 0,
    batch: step,
    best: { step, measure: "RR@10", value: 0.5 },
    evals: [{ step, metrics: { "RR@10": 0.5 } }],
    losses: Array.from({ length: step }, (_, i) => 1 / (i + 1)),
  };
  return { spec: SPEC, weights, optimizer: { step, m: moment, v: moment }, state };
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("a checkpoint round-trips weights, optimiser state and trainer state exactly", async () => {
  const root = await Deno.makeTempDir();
  try {
    assert.equal(await readLatestCheckpoint(root), undefined);
    const written = contents(4);
    const dir = await writeCheckpoint(root, written);
    assert.equal(dir, join(root, checkpointName(4)));
    const back = (await readLatestCheckpoint(root))!;
    assert.deepEqual(back.state, { ...written.state, optimizerStep: 4 });
    assert.deepEqual(back.weights, written.weights);
    assert.deepEqual(back.optimizer.m, written.optimizer.m);
    assert.equal(back.optimizer.step, 4);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a write that fails before its rename leaves the previous checkpoint as latest", async () => {
  const root = await Deno.makeTempDir();
  try {
    await writeCheckpoint(root, contents(2));
    await assert.rejects(() =>
      writeCheckpoint(root, contents(4), {
        beforeCommit: () => {
          throw new Error("killed");
        },
      })
    );
    assert.equal((await readLatestCheckpoint(root))!.state.step, 2);
    assert.ok((await names(root)).some((n) => n.endsWith(".tmp")));
    // The next write cleans the stale temporary directory and prunes to `keep`.
    await writeCheckpoint(root, contents(6));
    assert.deepEqual(await names(root), ["latest.json", checkpointName(6)]);
    await writeCheckpoint(root, contents(8), { keep: 2 });
    assert.deepEqual(await names(root), ["latest.json", checkpointName(6), checkpointName(8)]);
    assert.equal((await readLatestCheckpoint(root))!.state.step, 8);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
