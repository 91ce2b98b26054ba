import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import { cacheHome, datasetPaths, datasetStatus, MARKER_NAME } from "./cache.ts";
import type { DownloadEntry } from "./registry_types.ts";

Deno.test("cacheHome: explicit home, then $EMBEDDISTILL_HOME, then ~/.cache/embeddistill", () => {
  const saved = Deno.env.get("EMBEDDISTILL_HOME");
  try {
    Deno.env.set("EMBEDDISTILL_HOME", "/tmp/eh");
    assert.equal(cacheHome("/x"), "/x");
    assert.equal(cacheHome(), "/tmp/eh");
    Deno.env.delete("EMBEDDISTILL_HOME");
    assert.equal(cacheHome(), join(homedir(), ".cache", "embeddistill"));
  } finally {
    if (saved === undefined) Deno.env.delete("EMBEDDISTILL_HOME");
    else Deno.env.set("EMBEDDISTILL_HOME", saved);
  }
  const p = datasetPaths("/h", "beir/scifact");
  assert.equal(p.dir, "/h/datasets/beir/scifact");
  assert.equal(p.marker, `/h/datasets/beir/scifact/${MARKER_NAME}`);
  assert.equal(p.lock, "/h/datasets/.locks/beir__scifact.lock");
  assert.equal(p.downloads, "/h/datasets/.downloads/beir__scifact");
});

Deno.test("datasetStatus: absent, stale without marker or with other files, present", async () => {
  const home = await Deno.makeTempDir();
  try {
    const entry: DownloadEntry = {
      kind: "download",
      id: "beir/x",
      description: "",
      license: "",
      licenseSource: "",
      homepage: "",
      files: [{
        name: "x.zip",
        url: "",
        md5: "a".repeat(32),
        sha256: null,
        size: 1,
        unpack: "zip",
        into: ".",
      }],
      counts: [],
    };
    assert.equal((await datasetStatus(home, entry)).kind, "absent");
    const { dir, marker } = datasetPaths(home, "beir/x");
    await Deno.mkdir(dir, { recursive: true });
    assert.equal((await datasetStatus(home, entry)).kind, "stale");
    const write = (md5: string) =>
      Deno.writeTextFile(
        marker,
        JSON.stringify({
          id: "beir/x",
          files: [{ name: "x.zip", md5, sha256: "", size: 1 }],
          counts: [],
        }),
      );
    await write("b".repeat(32));
    const stale = await datasetStatus(home, entry);
    assert.ok(stale.kind === "stale" && stale.reason === "files differ from the registry's");
    await write("a".repeat(32));
    assert.equal((await datasetStatus(home, entry)).kind, "present");
    await Deno.writeTextFile(marker, "{ half-writ");
    assert.equal((await datasetStatus(home, entry)).kind, "stale");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
