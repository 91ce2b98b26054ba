import assert from "node:assert/strict";
import { join } from "node:path";
import { countBy, countLines, verifyCounts } from "./counts.ts";
import type { ExpectedCount } from "../registry_types.ts";
import { sharedPath } from "../../testing/mod.ts";
import { countBeirDataset } from "../beir.ts";
import { findDataset, loadRegistry } from "../registry.ts";

async function withFile(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "f");
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("countLines counts non-empty lines, CRLF or not, with or without a final newline", async () => {
  await withFile("a\nb\n\nc", async (p) => assert.equal(await countLines(p, false), 3));
  await withFile("h\r\na\r\n\r\nb\r\n", async (p) => {
    assert.equal(await countLines(p, false), 3);
    assert.equal(await countLines(p, true), 2);
  });
  await withFile("", async (p) => assert.equal(await countLines(p, true), 0));
  // Lines longer than one read chunk (1 MiB) are counted once.
  await withFile(`${"x".repeat(3_000_000)}\n${"y".repeat(1_048_576)}\n`, async (p) => {
    assert.equal(await countLines(p, false), 2);
  });
});

Deno.test("countBy counts distinct fields and JSON array elements", async () => {
  await withFile("query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t1\nq2\td1\t0\n", async (p) => {
    assert.equal(
      await countBy(p, { kind: "distinct-field", field: 0, separator: "tab", header: true }),
      2,
    );
    assert.equal(
      await countBy(p, { kind: "distinct-field", field: 1, separator: "tab", header: true }),
      2,
    );
  });
  await withFile("1 0 a 1\n1  0 b 1\n2 Q0 a 2\n", async (p) => {
    assert.equal(
      await countBy(p, {
        kind: "distinct-field",
        field: 2,
        separator: "whitespace",
        header: false,
      }),
      2,
    );
  });
  await withFile(
    '[{"question": "a", "positive_ctxs": [1, 2]}, {"question": "b,]"}, 3]',
    async (p) => {
      assert.equal(await countBy(p, { kind: "json-array" }), 3);
    },
  );
});

Deno.test("verifyCounts reports every mismatch at once and records null expectations", async () => {
  await withFile("a\nb\n", async (p) => {
    const dir = join(p, "..");
    const count = (value: number | null): ExpectedCount => ({
      what: "docs",
      split: null,
      value,
      source: "test",
      note: value === null ? "unknown" : null,
      file: "f",
      method: { kind: "lines", header: false },
    });
    const seen = await verifyCounts("t", dir, [count(2), count(null)]);
    assert.deepEqual(seen.map((c) => [c.expected, c.observed]), [[2, 2], [null, 2]]);
    await assert.rejects(
      () => verifyCounts("t", dir, [count(3), count(4)]),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message ===
          'Cannot verify counts of "t": docs in "f": expected 3, found 2; docs in "f": expected 4, found 2',
    );
  });
});

const dl19 = sharedPath("msmarco-passage/qrels.dl19-passage.txt");

Deno.test({
  name: "the TREC DL 2019 counts in datasets.lock hold on the byte-identical shared qrels file",
  ignore: dl19 === undefined,
  fn: async () => {
    assert.equal(await countBy(dl19!, { kind: "lines", header: false }), 9260);
    assert.equal(
      await countBy(dl19!, {
        kind: "distinct-field",
        field: 0,
        separator: "whitespace",
        header: false,
      }),
      43,
    );
  },
});

const scifactBeir = sharedPath("scifact/beir");

Deno.test({
  name:
    "the beir/scifact counts of datasets.lock hold on the shared SciFact rebuild and match the loader",
  ignore: scifactBeir === undefined,
  fn: async () => {
    const entry = findDataset(await loadRegistry(), "beir/scifact");
    assert.ok(entry.kind === "download");
    // The zip unpacks to scifact/...; the shared rebuild holds the same files directly.
    const counts = entry.counts.map((c) => ({ ...c, file: c.file.replace(/^scifact\//, "") }));
    const seen = await verifyCounts("beir/scifact", scifactBeir!, counts);
    assert.deepEqual(seen.map((c) => c.observed), [5183, 1109, 809, 919, 300, 339]);
    // Independent reference: the BEIR loader parses every record.
    const parsed = await countBeirDataset(scifactBeir!);
    assert.deepEqual(parsed, { documents: 5183, queries: 1109, qrels: { test: 339, train: 919 } });
  },
});
