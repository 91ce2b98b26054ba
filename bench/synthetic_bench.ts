/**
 * Generation speed of the embedded synthetic corpus: in-memory generation of each variant at the
 * tiny size, the generic variant at the mini size, serialisation + SHA-256, and the atomic write
 * to disk, against a baseline that only strings the same number of random words together (the
 * floor for producing that much text in TypeScript). Plain TypeScript on one thread (no tfjs/ORT
 * backend involved); the machine is in each bench's name.
 *
 * Run: deno bench --allow-read --allow-write --allow-env --allow-sys bench/synthetic_bench.ts
 *
 * @module
 */

import { join } from "node:path";
import { synthetic } from "../src/data/mod.ts";
import { formatMachine } from "../src/engine/mod.ts";

const { SYNTHETIC_SIZES, synthesize, syntheticFiles, syntheticManifest, writeSyntheticDataset } =
  synthetic;
const MACHINE = `${formatMachine()}, 1 thread used`;
const SEED = 42;
const tiny = SYNTHETIC_SIZES.tiny;
const mini = SYNTHETIC_SIZES.mini;
const WORDS = "the harbor of a bright engine was built by mary smith in 1874".split(" ");

/** Baseline: the same number of ~45-word documents, made of random words, no structure. */
function randomWords(documents: number): number {
  let bytes = 0;
  for (let d = 0; d < documents; d++) {
    const words: string[] = [];
    for (let i = 0; i < 45; i++) words.push(WORDS[Math.floor(Math.random() * WORDS.length)]!);
    bytes += words.join(" ").length;
  }
  return bytes;
}

Deno.bench({
  name: `baseline: random words for ${tiny.documents} documents [${MACHINE}]`,
  group: "tiny",
  baseline: true,
  fn: () => {
    randomWords(tiny.documents);
  },
});

for (const kind of synthetic.SYNTHETIC_VARIANT_KINDS) {
  Deno.bench({
    name: `synthesize ${kind} tiny (${tiny.documents} docs, ${
      tiny.train + tiny.dev + tiny.test
    } queries) [${MACHINE}]`,
    group: "tiny",
    fn: () => {
      synthesize({ variant: { kind }, seed: SEED, sizes: tiny });
    },
  });
}

const tinyDataset = synthesize({ variant: { kind: "generic" }, seed: SEED, sizes: tiny });
Deno.bench({
  name: `serialise + sha256 generic tiny [${MACHINE}]`,
  group: "tiny",
  fn: async () => {
    const encoder = new TextEncoder();
    const encoded = new Map<string, Uint8Array>();
    for (const [p, t] of syntheticFiles(tinyDataset)) encoded.set(p, encoder.encode(t));
    await syntheticManifest(tinyDataset, encoded);
  },
});

Deno.bench({
  name: `writeSyntheticDataset generic tiny to a fresh directory [${MACHINE}]`,
  group: "tiny",
  n: 10,
  warmup: 1,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      await writeSyntheticDataset(join(root, "ds"), {
        variant: { kind: "generic" },
        seed: SEED,
        sizes: tiny,
      });
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.bench({
  name: `baseline: random words for ${mini.documents} documents [${MACHINE}]`,
  group: "mini",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: () => {
    randomWords(mini.documents);
  },
});

Deno.bench({
  name: `synthesize generic mini (${mini.documents} docs, ${
    mini.train + mini.dev + mini.test
  } queries) [${MACHINE}]`,
  group: "mini",
  n: 3,
  warmup: 1,
  fn: () => {
    synthesize({ variant: { kind: "generic" }, seed: SEED, sizes: mini });
  },
});
