import assert from "node:assert/strict";
import { join } from "node:path";
import { initModelWeights, saveModelDir } from "../models/mod.ts";
import { saveTokenizerJson } from "../text/mod.ts";
import { captureIo, teacherOnDisk, tinyTask } from "../testing/mod.ts";
import { encoderConfig } from "../testing/tiny_task.ts";
import { main, parseDiagnoseArgs } from "./diagnose_ce.ts";

Deno.test("diagnose-ce: usage errors exit 2 with the reason", async () => {
  for (
    const [args, pattern] of [
      [["--data", "d"], /missing --model DIR/],
      [["--model", "m"], /missing --data/],
      [["--model", "m", "--data", "d", "--depth", "0"], /--depth must be an integer >= 1/],
    ] as const
  ) {
    await assert.rejects(() => parseDiagnoseArgs(args), pattern);
    const io = captureIo();
    assert.equal(await main([...args], io), 2);
    assert.match(io.err(), pattern);
  }
});

Deno.test({
  name:
    "diagnose-ce: a dual-pooling CE's pooled embeddings used as a DE, beside its re-ranking of BM25's and a DE's candidates",
  sanitizeResources: false,
  async fn() {
    const task = tinyTask({ train: 30, dev: 5, test: 5, documents: 300, pool: 0 });
    const disk = await teacherOnDisk(task, 1, "embeddistill-diagnose-ce-");
    try {
      const ce = join(disk.root, "ce");
      const spec = {
        kind: "cross" as const,
        encoder: encoderConfig(task.vocabSize, 16, 1, 2),
        scorer: { kind: "dual-pooling" as const, includeSpecialTokens: false },
        maxLength: 64,
      };
      await saveModelDir(ce, spec, initModelWeights(spec, 9));
      await saveTokenizerJson(join(ce, "tokenizer.json"), task.tokenizer.config);
      for (const first of ["bm25", disk.teacher]) {
        const io = captureIo();
        const code = await main(
          [
            "--model",
            ce,
            "--data",
            disk.data,
            "--split",
            "train",
            "--first-stage",
            first,
            "--depth",
            "10",
          ],
          io,
        );
        assert.equal(code, 0, io.err());
        const lines = new Map(io.out.map((l) => {
          const parts = l.split("\t");
          return [parts.slice(0, -1).join("\t"), Number(parts.at(-1))] as const;
        }));
        for (const key of ["rerank/RR@10", "alone-rerank/RR@10", "alone-retrieval/nDCG@10"]) {
          const v = lines.get(key);
          assert.ok(v !== undefined && v >= 0 && v <= 1, `${key}: ${v}`);
        }
        assert.equal(lines.get("depth"), 10);
        assert.ok(Math.abs(lines.get("agreement\tspearman")!) <= 1);
        assert.equal(lines.get("documents\tdims"), 16);
        const rank = lines.get("documents\teffective-rank")!;
        assert.ok(rank >= 1 && rank <= 16, `${rank}`);
      }
      const io = captureIo();
      assert.equal(
        await main(["--model", disk.teacher, "--data", disk.data, "--split", "train"], io),
        1,
      );
      assert.match(io.err(), /holds a dual encoder, expected a cross-encoder/);
    } finally {
      await Deno.remove(disk.root, { recursive: true });
    }
  },
});
