import assert from "node:assert/strict";
import { join } from "node:path";
import { parseCommand, userPath } from "./command_args.ts";
import { UsageError } from "./usage_error.ts";

const OPTIONS = {
  data: { type: "string" },
  steps: { type: "string" },
  json: { type: "boolean" },
  measure: { type: "string", short: "m", multiple: true },
} as const;

async function withConfig(content: unknown, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-args-" });
  try {
    const path = join(dir, "c.json");
    await Deno.writeTextFile(path, JSON.stringify(content));
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("--config supplies options; command-line flags override it", async () => {
  await withConfig(
    { data: "synthetic/tiny", steps: 200, json: true, measure: ["RR@10"] },
    async (path) => {
      const parsed = await parseCommand(["--config", path, "--steps", "50"], OPTIONS);
      assert.equal(parsed.values["data"], "synthetic/tiny");
      assert.equal(parsed.values["steps"], "50");
      assert.equal(parsed.values["json"], true);
      assert.deepEqual(parsed.values["measure"], ["RR@10"]);
      assert.equal(parsed.configFile, path);
      assert.deepEqual([...parsed.fromConfig].sort(), ["data", "json", "measure"]);
    },
  );
});

Deno.test("unknown config keys, wrong types and unknown flags are usage errors listing what is valid", async () => {
  await withConfig({ dta: "x" }, async (path) => {
    await assert.rejects(
      () => parseCommand(["--config", path], OPTIONS),
      (e: unknown) =>
        e instanceof UsageError &&
        /unknown key "dta"; valid keys: data, json, measure, steps/.test(e.message),
    );
  });
  await withConfig({ json: "yes" }, async (path) => {
    await assert.rejects(
      () => parseCommand(["--config", path], OPTIONS),
      /Cannot use "json" of config file ".*": expected true or false, found "yes"/,
    );
  });
  await withConfig([1, 2], async (path) => {
    await assert.rejects(() => parseCommand(["--config", path], OPTIONS), /expected a JSON object/);
  });
  await assert.rejects(
    () => parseCommand(["--stpes", "3"], OPTIONS),
    (e: unknown) =>
      e instanceof UsageError &&
      /unknown option "--stpes"; valid options: --data VALUE; --steps VALUE;.* --config VALUE/.test(
        e.message,
      ),
  );
  await assert.rejects(
    () => parseCommand(["--config", "/no/such.json"], OPTIONS),
    /Cannot read config file/,
  );
});

Deno.test("user paths resolve against INIT_CWD (deno task), else the working directory", () => {
  const before = Deno.env.get("INIT_CWD");
  try {
    Deno.env.set("INIT_CWD", "/home/user/work");
    assert.equal(userPath("out/run.trec"), "/home/user/work/out/run.trec");
    assert.equal(userPath("/abs/x"), "/abs/x");
    Deno.env.delete("INIT_CWD");
    assert.equal(userPath("x"), join(Deno.cwd(), "x"));
  } finally {
    if (before === undefined) Deno.env.delete("INIT_CWD");
    else Deno.env.set("INIT_CWD", before);
  }
});
