import assert from "node:assert/strict";
import { join } from "node:path";
import { sharedData } from "./shared_data.ts";

function withEnv(vars: Record<string, string | undefined>, fn: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    }
  };
  apply(vars);
  try {
    fn();
  } finally {
    apply(saved);
  }
}

Deno.test("sharedData reports an absent folder outside CI and throws under CI=true", () => {
  const missing = join(Deno.makeTempDirSync(), "nowhere");
  withEnv({ EMBEDDISTILL_SHARED: missing, CI: undefined }, () => {
    const found = sharedData();
    assert.equal(found.kind, "absent");
    assert.match(found.kind === "absent" ? found.reason : "", /nowhere/);
  });
  withEnv({ EMBEDDISTILL_SHARED: missing, CI: "true" }, () => {
    assert.throws(() => sharedData(), /CI=true/);
  });
});

Deno.test("sharedData finds a folder that has data/", () => {
  const dir = Deno.makeTempDirSync();
  Deno.mkdirSync(join(dir, "data"));
  withEnv({ EMBEDDISTILL_SHARED: dir, CI: "true" }, () => {
    assert.deepEqual(sharedData(), { kind: "present", dir });
  });
});
